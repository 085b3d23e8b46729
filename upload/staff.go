package upload

import (
	"net/http"

	"github.com/passbookhq/passbook"
)

// ReceiveStaff receives an upload that staff send from the Dashboard for customer c (Flinks'
// "Dashboard" mode): the same limits, quota, storage and processing as the API and the widget,
// recorded with source "dashboard". It answers with the JSON Receipt.
func (s *Service) ReceiveStaff(w http.ResponseWriter, r *http.Request, c *passbook.Customer) error {
	return s.receive(w, r, c, "", "dashboard")
}
