package invreport

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/leakguard/leakguard/internal/store"
)

// The geometry of the inline SVG charts, computed here so that the template
// only places numbers and escaped labels: no chart library, nothing loaded.

// barChart is a horizontal bar chart, one row per named count.
type barChart struct {
	Title         string
	Width, Height float64
	LabelW        float64 // bars start here; labels end just before
	Bars          []bar
	More          int // rows left out
}

type bar struct {
	Label, Short     string // full label (tooltip) and as drawn
	Value            int64
	BarY, BarH, BarW float64
	TextY, ValueX    float64
	Color            string
}

const (
	chartW   = 560.0
	labelW   = 210.0
	rowH     = 24.0
	maxLabel = 30 // characters of a label drawn; the tooltip has them all
)

// hbars draws counts (at most rows of them) as bars, scaled to the largest.
func hbars(title string, counts []Count, rows int, color func(string) string) barChart {
	c := barChart{Title: title, Width: chartW, LabelW: labelW}
	if len(counts) > rows {
		c.More = len(counts) - rows
		counts = counts[:rows]
	}
	var top int64 = 1
	for _, n := range counts {
		top = max(top, n.N)
	}
	span := chartW - labelW - 70 // room for the value after the longest bar
	for i, n := range counts {
		y := float64(i) * rowH
		w := span * float64(n.N) / float64(top)
		if n.N > 0 {
			w = math.Max(w, 2) // a count is never invisible
		}
		c.Bars = append(c.Bars, bar{Label: n.Name, Short: shorten(n.Name, maxLabel), Value: n.N,
			BarY: y + 4, BarH: rowH - 8, BarW: round1(w), TextY: y + rowH*0.68, ValueX: round1(labelW + w + 6),
			Color: color(n.Name)})
	}
	c.Height = math.Max(float64(len(counts))*rowH, rowH)
	return c
}

// shorten keeps the end of a long label, where a path's file and a rule's
// distinguishing part are.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// Colours: by severity and status what a reader expects (red is bad, green
// resolved); everything else one blue.
func severityColor(s string) string {
	switch s {
	case "critical":
		return "#7b1020"
	case "high":
		return "#c0392b"
	case "medium":
		return "#e67e22"
	case "low":
		return "#d4ac0d"
	case "info":
		return "#7f8c8d"
	}
	return defaultColor(s)
}

func statusColor(s string) string {
	switch store.Status(s) {
	case store.Open:
		return "#c0392b"
	case store.Acknowledged:
		return "#e67e22"
	case store.FalsePositive:
		return "#95a5a6"
	case store.AcceptedRisk:
		return "#8e44ad"
	case store.Resolved:
		return "#27ae60"
	}
	return defaultColor(s)
}

func kindColor(s string) string {
	switch s {
	case "secret":
		return "#c0392b"
	case "pii":
		return "#2874a6"
	case "marking":
		return "#8e44ad"
	case "registered":
		return "#117a65"
	}
	return defaultColor(s)
}

func defaultColor(string) string { return "#2c7fb8" }

// trendChart draws, per scan, the new and resolved findings as columns and
// the open ones as a line, on one axis.
type trendChart struct {
	Width, Height   float64
	Left, Bottom    float64 // the plot's left edge and baseline
	Right           float64
	Cols            []trendCol
	Line            string // polyline points of the open count
	Ticks           []tick
	Empty           bool
	NewColor        string
	ResolvedColor   string
	OpenColor       string
	LegendY, LabelY float64
}

type trendCol struct {
	X, W                   float64 // left edge and width of each column
	NewY, NewH, ResY, ResH float64
	DotX, DotY             float64
	LabelX                 float64
	Label, Title           string
}

type tick struct {
	Y     float64
	Label string
}

func trend(points []store.TrendPoint) trendChart {
	c := trendChart{Width: chartW + 200, Height: 260, Left: 56, Right: chartW + 200 - 16, Bottom: 200,
		NewColor: "#2c7fb8", ResolvedColor: "#27ae60", OpenColor: "#c0392b", LegendY: 14, LabelY: 218}
	if len(points) == 0 {
		c.Empty = true
		return c
	}
	var top int64 = 1
	for _, p := range points {
		top = max(top, p.Open, p.New, p.Resolved)
	}
	step := niceStep(top)
	top = (top + step - 1) / step * step
	const plotTop = 30.0
	y := func(v int64) float64 { return round1(c.Bottom - (c.Bottom-plotTop)*float64(v)/float64(top)) }
	for v := int64(0); v <= top; v += step {
		c.Ticks = append(c.Ticks, tick{Y: y(v), Label: compact(v)})
	}
	slot := (c.Right - c.Left) / float64(len(points))
	w := math.Min(slot*0.35, 28)
	var line []string
	for i, p := range points {
		mid := c.Left + slot*(float64(i)+0.5)
		col := trendCol{X: round1(mid - w), W: round1(w), DotX: round1(mid), DotY: y(p.Open), LabelX: round1(mid),
			NewY: y(p.New), ResY: y(p.Resolved), Label: "#" + strconv.FormatInt(p.Scan, 10),
			Title: fmt.Sprintf("scan %d (%s, %s): %d new, %d resolved, %d reopened, %d open of %d known",
				p.Scan, p.Started.Local().Format("2006-01-02 15:04"), p.State, p.New, p.Resolved, p.Reopened, p.Open, p.Known)}
		col.NewH, col.ResH = round1(c.Bottom-col.NewY), round1(c.Bottom-col.ResY)
		if len(points) > 16 && i%((len(points)+15)/16) != 0 {
			col.Label = "" // every scan has its columns; not every one its label
		}
		c.Cols = append(c.Cols, col)
		line = append(line, fmt.Sprintf("%g,%g", col.DotX, col.DotY))
	}
	c.Line = strings.Join(line, " ")
	return c
}

// niceStep picks a tick step of 1, 2 or 5 times a power of ten giving four
// to ten ticks up to top.
func niceStep(top int64) int64 {
	step := int64(1)
	for {
		for _, m := range []int64{1, 2, 5} {
			if top/(step*m) <= 5 {
				return step * m
			}
		}
		step *= 10
	}
}

// compact writes 1234567 as 1.2M, for axis labels.
func compact(v int64) string {
	switch {
	case v >= 1_000_000:
		return strconv.FormatFloat(float64(v)/1e6, 'g', 3, 64) + "M"
	case v >= 10_000:
		return strconv.FormatFloat(float64(v)/1e3, 'g', 3, 64) + "k"
	}
	return strconv.FormatInt(v, 10)
}
