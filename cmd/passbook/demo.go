package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/demo"
	"github.com/passbookhq/passbook/webhook"
)

// demoReceiver is the built-in lender's server of the demo: a webhook endpoint of the default
// customer on a loopback listener of its own (which serves nothing else, so the webhook guard
// may let deliveries reach it without opening the server's other routes), and the page at
// /demo/webhooks that shows what it received.
type demoReceiver struct {
	recv  *demo.Receiver
	pages http.Handler // its pages, mounted behind the Dashboard's sign-in by newDashboard
	ln    net.Listener
	srv   *http.Server
}

// newDemoReceiver opens the receiver's listener and mounts its page on mux, unless
// --demo-receiver=false.
func (s *server) newDemoReceiver(mux *http.ServeMux) error {
	if !s.cfg.DemoReceiver {
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo receiver: %w", err)
	}
	r := demo.New(nil)
	pages := http.NewServeMux()
	r.Register(pages)
	s.demo = &demoReceiver{recv: r, pages: pages, ln: ln, srv: &http.Server{Handler: r.Endpoint(), ReadHeaderTimeout: 10 * time.Second}}
	return nil
}

// demoAllow is the address the webhook guard lets through for the demo receiver (none when
// it is off).
func (s *server) demoAllow() netip.AddrPort {
	if s.demo == nil {
		return netip.AddrPort{}
	}
	ap, _ := netip.ParseAddrPort(s.demo.ln.Addr().String())
	return ap
}

// ensureDemoEndpoint registers the receiver as a webhook endpoint of the default customer,
// removing the endpoints of earlier runs (their ports are gone).
func (s *server) ensureDemoEndpoint(ctx context.Context, customer *passbook.Customer) error {
	if s.demo == nil {
		return nil
	}
	url := "http://" + s.demo.ln.Addr().String() + demo.Path
	eps, err := s.db.WebhookEndpoints(ctx, customer.Id)
	if err != nil {
		return err
	}
	for _, e := range eps {
		if e.URL != url && strings.HasPrefix(e.URL, "http://127.0.0.1:") && strings.HasSuffix(e.URL, demo.Path) {
			if err := s.db.DeleteWebhookEndpoint(ctx, customer.Id, e.Id); err != nil {
				return err
			}
		}
	}
	e := &passbook.WebhookEndpoint{CustomerID: customer.Id, URL: url, Secret: webhook.NewSecret()}
	if err := s.db.CreateWebhookEndpoint(ctx, e); err != nil {
		return err
	}
	s.demo.recv.SetSecret(e.Secret)
	return nil
}

// start serves the receiver until stop.
func (d *demoReceiver) start() {
	if d == nil {
		return
	}
	go func() {
		if err := d.srv.Serve(d.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.ln.Close()
		}
	}()
}

// stop shuts the receiver down (closing its listener if it never served).
func (d *demoReceiver) stop(ctx context.Context) error {
	if d == nil {
		return nil
	}
	err := d.srv.Shutdown(ctx)
	d.ln.Close()
	return err
}
