package passbook

import "time"

// WebhookEndpoint is a URL a customer's webhooks are delivered to, with the secret that signs them.
type WebhookEndpoint struct {
	Id         string
	CustomerID string
	URL        string
	Secret     string
	EventTypes []string // the event types it receives; empty: every type except the opt-in ones
	CreatedAt  time.Time
}

// OptInEventTypes returns the event types an endpoint receives only when it lists them.
func OptInEventTypes() []string { return []string{"KYC"} }

// WebhookEvent is one event to announce: its stable id, what it is about and the exact body.
type WebhookEvent struct {
	Id         string
	CustomerID string
	LoginID    string
	Type       string
	Body       []byte
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // given up after the last try
)

// WebhookDelivery is one event to one endpoint: an entry of the endpoint's delivery log.
type WebhookDelivery struct {
	Id            int64 // increasing: deliveries of a login are made in this order
	EventID       string
	EventType     string
	EndpointID    string
	LoginID       string
	Status        string
	Attempts      int
	LastStatus    int // HTTP status of the last attempt; 0 when it got no response
	LastError     string
	LastAttemptAt time.Time
	NextAttemptAt time.Time
	DeliveredAt   time.Time
	CreatedAt     time.Time
	// What the sender needs (not shown in the log).
	URL    string `json:"-"`
	Secret string `json:"-"`
	Body   []byte `json:"-"`
}
