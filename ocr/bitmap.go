package ocr

import (
	"image"
	"math"
)

// resize scales a gray bitmap by f: bilinear when enlarging, the mean of each destination
// pixel's source area when reducing (which does not alias fine print away).
func resize(g *image.Gray, f float64) *image.Gray {
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	dw, dh := max(1, int(math.Round(float64(sw)*f))), max(1, int(math.Round(float64(sh)*f)))
	d := image.NewGray(image.Rect(0, 0, dw, dh))
	if f >= 1 {
		fx, fy := float64(sw)/float64(dw), float64(sh)/float64(dh)
		x0s, wx := make([]int, dw), make([]int, dw) // source column and weight of the next, /256
		for x := range dw {
			s := (float64(x)+0.5)*fx - 0.5
			s = min(max(s, 0), float64(sw-1))
			i := int(s)
			x0s[x], wx[x] = i, int((s-float64(i))*256)
		}
		for y := range dh {
			s := (float64(y)+0.5)*fy - 0.5
			s = min(max(s, 0), float64(sh-1))
			j := int(s)
			wy := int((s - float64(j)) * 256)
			r0 := g.Pix[j*g.Stride:]
			r1 := r0
			if j+1 < sh {
				r1 = g.Pix[(j+1)*g.Stride:]
			}
			out := d.Pix[y*d.Stride:]
			for x := range dw {
				i, w := x0s[x], wx[x]
				i1 := min(i+1, sw-1)
				top := int(r0[i])*(256-w) + int(r0[i1])*w
				bot := int(r1[i])*(256-w) + int(r1[i1])*w
				out[x] = uint8((top*(256-wy) + bot*wy + 1<<15) >> 16)
			}
		}
		return d
	}
	// Area average: each destination pixel sums the source pixels whose centres fall in it.
	sum := make([]int, dw)
	cnt := make([]int, dw)
	xs := make([]int, sw)
	for x := range sw {
		xs[x] = min(int(float64(x)*f), dw-1)
	}
	row := 0
	for y := range sh {
		dy := min(int(float64(y)*f), dh-1)
		if dy != row {
			flush(d, row, sum, cnt)
			row = dy
		}
		src := g.Pix[y*g.Stride : y*g.Stride+sw]
		for x, v := range src {
			sum[xs[x]] += int(v)
			cnt[xs[x]]++
		}
	}
	flush(d, row, sum, cnt)
	return d
}

func flush(d *image.Gray, row int, sum, cnt []int) {
	out := d.Pix[row*d.Stride:]
	for x := range sum {
		if cnt[x] > 0 {
			out[x] = uint8((sum[x] + cnt[x]/2) / cnt[x])
		} else {
			out[x] = 255
		}
		sum[x], cnt[x] = 0, 0
	}
}

// rotate turns a bitmap by quarter turns clockwise (1, 2 or 3).
func rotate(g *image.Gray, quarters int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	quarters &= 3
	if quarters == 0 {
		return g
	}
	var d *image.Gray
	if quarters == 2 {
		d = image.NewGray(image.Rect(0, 0, w, h))
	} else {
		d = image.NewGray(image.Rect(0, 0, h, w))
	}
	for y := range h {
		src := g.Pix[y*g.Stride : y*g.Stride+w]
		for x, v := range src {
			switch quarters {
			case 1: // (x, y) → (h-1-y, x)
				d.Pix[x*d.Stride+h-1-y] = v
			case 2:
				d.Pix[(h-1-y)*d.Stride+w-1-x] = v
			case 3: // (x, y) → (y, w-1-x)
				d.Pix[(w-1-x)*d.Stride+y] = v
			}
		}
	}
	return d
}
