package authorize

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeyFile is the name of the generated credentials key in the data directory.
const KeyFile = "credentials.key"

// LoadKey returns the 32-byte key that encrypts saved credentials: configured (base64 or hex)
// when it is set, else the key in dataDir/credentials.key, generated with 0600 permissions on
// first use.
func LoadKey(dataDir, configured string) ([]byte, error) {
	if configured = strings.TrimSpace(configured); configured != "" {
		return parseKey(configured)
	}
	path := filepath.Join(dataDir, KeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return parseKey(string(b))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // created by another process meanwhile
		return LoadKey(dataDir, "")
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

func parseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, fmt.Errorf("authorize: the credentials key must be 32 bytes in base64 or hex")
}

// box seals small secrets with AES-256-GCM; each sealed value carries its random nonce.
type box struct{ aead cipher.AEAD }

func newBox(key []byte) (*box, error) {
	if len(key) != 32 {
		return nil, errors.New("authorize: the credentials key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &box{aead}, nil
}

// seal encrypts plain; ad binds the result to its owner (a login or request id) so a sealed
// value copied to another row does not open.
func (b *box) seal(plain []byte, ad string) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return b.aead.Seal(nonce, nonce, plain, []byte(ad)), nil
}

func (b *box) open(sealed []byte, ad string) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, errors.New("authorize: sealed value too short")
	}
	return b.aead.Open(nil, sealed[:n], sealed[n:], []byte(ad))
}
