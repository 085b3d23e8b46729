package pdf_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/passbookhq/passbook/pdf"
)

// Open a statement and print the words of its first line.
func Example() {
	ctx := context.Background()
	engine, err := pdf.New(ctx, pdf.Options{}) // one per process; safe for concurrent use
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()

	data, err := os.ReadFile("testdata/chequing-en.pdf")
	if err != nil {
		log.Fatal(err)
	}
	doc, err := engine.Open(ctx, data)
	if err != nil {
		log.Fatal(err) // errors.Is(err, pdf.ErrEncrypted), pdf.ErrDamaged, …
	}
	for _, w := range doc.Pages[0].Words[:3] {
		fmt.Printf("%s %s %.1fpt\n", w.Text, w.Font, w.Size)
	}
	fmt.Println(doc.Structure.Revisions, "revision;", doc.Structure.Info["Producer"])
	// Output:
	// Northwind LiberationSans-Bold 19.0pt
	// Credit LiberationSans-Bold 19.0pt
	// Union LiberationSans-Bold 19.0pt
	// 1 revision; Skia/PDF m156
}
