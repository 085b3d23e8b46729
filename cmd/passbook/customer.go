package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/passbookhq/passbook"
	"github.com/passbookhq/passbook/api"
	"github.com/passbookhq/passbook/postgres"
)

// runCustomer manages the lenders a server serves, in its data directory:
//
//	passbook customer create --name NAME   a new customer; its keys are printed once
//	passbook customer list                 every customer, disabled ones marked
//	passbook customer rotate-keys ID       new keys (printed once); the old ones stop working
//	passbook customer disable ID           its keys, tokens and widget sessions are refused
//	passbook customer enable ID            undoes disable
//	passbook customer reset-key [ID]       rotate-keys, for a lost key (default: the first-start customer)
//	passbook customer admin-link [ID]      a one-time link that creates a Dashboard admin (a lost
//	                                       first-admin link, or every admin locked out)
//	passbook customer admin-key            a new key of the admin API (/v3/admin/…), printed once;
//	                                       the previous one stops working
//
// It works on a stopped or running server (SQLite serialises the writes), or on the PostgreSQL
// database of replicas (--database).
func runCustomer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("passbook customer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", envOr("PASSBOOK_DATA", "./passbook-data"), "the server's data `directory`")
	database := fs.String("database", envOr("PASSBOOK_DATABASE", ""), "the server's postgres://… `URL` or SQLite file (default: DIR/passbook.db)")
	name := fs.String("name", "", "the customer's `name` (create)")
	base := fs.String("url", envOr("PASSBOOK_PUBLIC_URL", "http://127.0.0.1:8080"), "the server's public `URL`, for admin-link")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: passbook customer create --name NAME | list | rotate-keys ID | reset-key [ID] | admin-link [ID] | admin-key | disable ID | enable ID [--data DIR]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if len(args) == 0 {
		fs.Usage()
		return errUsage
	}
	verb := args[0]
	// Flags may come before or after the customer id.
	var pos []string
	for rest := args[1:]; ; {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	var id string
	switch verb {
	case "create", "list", "admin-key":
		if len(pos) != 0 {
			fs.Usage()
			return errUsage
		}
	case "rotate-keys", "disable", "enable":
		if len(pos) != 1 {
			fs.Usage()
			return errUsage
		}
		id = pos[0]
	case "reset-key", "admin-link":
		if len(pos) > 1 {
			fs.Usage()
			return errUsage
		}
		if len(pos) == 1 {
			id = pos[0]
		}
	default:
		fs.Usage()
		return errUsage
	}
	if verb == "create" && *name == "" {
		return fmt.Errorf("passbook customer create: --name is required")
	}
	cfg := &config{DataDir: *dataDir, Database: *database, Migrate: true}
	if !postgres.IsURL(*database) {
		if _, err := os.Stat(*dataDir); err != nil && verb != "create" && *database == "" {
			return fmt.Errorf("passbook customer: data directory: %w", err)
		}
		if err := os.MkdirAll(*dataDir, 0o700); err != nil {
			return err
		}
	}
	if verb == "admin-key" {
		if err := os.MkdirAll(*dataDir, 0o700); err != nil {
			return err
		}
		key, err := api.NewAdminKey(*dataDir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "The admin API's key (Authorization: Bearer …), shown once; the previous one no longer works:\n  %s\n", key)
		return nil
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch verb {
	case "create":
		c := &passbook.Customer{Name: *name}
		keys, err := db.CreateCustomer(ctx, c)
		if err != nil {
			return err
		}
		printKeys(stdout, "Created customer "+c.Name+".", c.Id, keys)
	case "list":
		cs, err := db.ListCustomers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSTATE\tCREATED")
		for _, c := range cs {
			state := "active"
			if c.Disabled {
				state = "disabled"
			}
			if c.Default {
				state += ", default"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Id, c.Name, state, c.CreatedAt)
		}
		return tw.Flush()
	case "reset-key", "admin-link":
		if id == "" {
			c, _, err := db.EnsureDefaultCustomer(ctx)
			if err != nil {
				return err
			}
			id = c.Id
		} else if _, err := db.Customer(ctx, id); err != nil {
			return customerErr(id, err)
		}
		if verb == "admin-link" {
			token, err := db.CreateStaffInvite(ctx, id, passbook.RoleAdmin, "", time.Now().Add(72*time.Hour))
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Create a Dashboard admin with this one-time link (valid 72 hours): %s/dashboard/setup/%s\n",
				strings.TrimSuffix(*base, "/"), token)
			return nil
		}
		keys, err := db.RotateCustomerKeys(ctx, id)
		if err != nil {
			return customerErr(id, err)
		}
		printKeys(stdout, "New keys; the old ones no longer work.", id, keys)
	case "rotate-keys":
		keys, err := db.RotateCustomerKeys(ctx, id)
		if err != nil {
			return customerErr(id, err)
		}
		printKeys(stdout, "New keys; the old ones no longer work.", id, keys)
	case "disable", "enable":
		if err := db.SetCustomerDisabled(ctx, id, verb == "disable"); err != nil {
			return customerErr(id, err)
		}
		fmt.Fprintf(stdout, "Customer %s %sd.\n", id, verb)
	}
	return nil
}

func printKeys(w io.Writer, title, id string, k passbook.CustomerKeys) {
	fmt.Fprintf(w, "%s These keys are shown once; keep them:\n  CustomerId: %s\n  x-api-key (data endpoints): %s\n  flinks-auth-key (GenerateAuthorizeToken): %s\n",
		title, id, k.APIKey, k.Secret)
}

func customerErr(id string, err error) error {
	if errors.Is(err, passbook.ErrNotFound) {
		return fmt.Errorf("passbook customer: no customer %s", id)
	}
	return err
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
