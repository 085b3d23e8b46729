package seal

import (
	"bytes"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := b.Seal([]byte("hunter2"), []byte("login-1"))
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := b.Seal([]byte("hunter2"), []byte("login-1"))
	if bytes.Equal(s1, s2) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	if p, err := b.Open(s1, []byte("login-1")); err != nil || string(p) != "hunter2" {
		t.Fatalf("open: %q %v", p, err)
	}
	if _, err := b.Open(s1, []byte("login-2")); err != ErrOpen {
		t.Fatalf("other owner: %v", err)
	}
	bad := bytes.Clone(s1)
	bad[len(bad)-1] ^= 1
	if _, err := b.Open(bad, []byte("login-1")); err != ErrOpen {
		t.Fatalf("tampered: %v", err)
	}
	if _, err := b.Open(s1[:5], nil); err != ErrOpen {
		t.Fatalf("short: %v", err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	if _, err := other.Open(s1, []byte("login-1")); err != ErrOpen {
		t.Fatalf("other key: %v", err)
	}
	if _, err := New(key[:16]); err == nil {
		t.Fatal("a 16-byte key was accepted")
	}
}
