package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress is returned for a webhook target on a loopback, private, link-local or
// otherwise non-public address while private targets are not allowed.
var ErrForbiddenAddress = errors.New("webhook: target address is not public")

// extraBlocked are ranges that netip's predicates do not cover but that never reach a public
// receiver: "this network", carrier-grade NAT, IETF protocol assignments, benchmarking.
var extraBlocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
}

// PublicAddr reports whether a is an address a webhook may be sent to by default.
func PublicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range extraBlocked {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// Guard decides which targets webhooks may reach.
type Guard struct {
	// AllowPrivate lets webhooks reach loopback and private addresses (demo, tests, an intranet).
	AllowPrivate bool
	// Allow, when set, is one address (IP and port) that connections may reach even when private
	// ones are refused: the loopback listener of the server's built-in demo receiver, which
	// serves nothing else. Registration (CheckURL) does not use it.
	Allow netip.AddrPort
}

// CheckURL validates an endpoint URL when it is registered: http or https, a host, no user
// info, and, unless private targets are allowed, no literal non-public IP or "localhost". Names
// are checked again on every connection, after resolution.
func (g Guard) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || u.Fragment != "" {
		return fmt.Errorf("webhook: the URL must be an absolute http or https URL without credentials")
	}
	if g.AllowPrivate {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return ErrForbiddenAddress
	}
	if a, err := netip.ParseAddr(host); err == nil && !PublicAddr(a) {
		return ErrForbiddenAddress
	}
	return nil
}

// control runs on every socket before it connects, after name resolution, so a name that
// resolves (or rebinds) to a private address is refused as well as a literal one.
func (g Guard) control(network, address string, _ syscall.RawConn) error {
	if g.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
	}
	if g.Allow.IsValid() && ap.Addr().Unmap() == g.Allow.Addr().Unmap() && ap.Port() == g.Allow.Port() {
		return nil
	}
	if !PublicAddr(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, ap.Addr())
	}
	return nil
}

// Client returns the HTTP client deliveries use: the guard on every connection, no proxy, no
// redirects followed (a redirect is a failed delivery), and timeout per attempt.
func (g Guard) Client(timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: g.control}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          20,
		IdleConnTimeout:       60 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
