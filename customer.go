package passbook

// CustomerKeys are a customer's two secrets, returned once when they are made: APIKey goes in
// `x-api-key` on data endpoints, Secret in `flinks-auth-key` for GenerateAuthorizeToken.
type CustomerKeys struct {
	APIKey string
	Secret string
}

// CustomerRow is a customer as `passbook customer list` shows it.
type CustomerRow struct {
	Customer
	Disabled  bool
	CreatedAt string
}
