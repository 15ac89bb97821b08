package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/extract"
	"github.com/leakguard/leakguard/internal/extract/formats"
	"github.com/leakguard/leakguard/internal/finding"
	"github.com/leakguard/leakguard/internal/fingerprint/docs"
	"github.com/leakguard/leakguard/internal/fingerprint/edm"
	"github.com/leakguard/leakguard/internal/fingerprint/media"
	"github.com/leakguard/leakguard/internal/fingerprint/registered"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/source"
	fssource "github.com/leakguard/leakguard/internal/source/fs"
)

// stateFlags locate the state directory and its key, shared by the
// commands that read or write registered sets.
type stateFlags struct{ state string }

func (sf *stateFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&sf.state, "state", "", "state directory holding the installation key and registered sets (default $LEAKGUARD_HOME or ~/.local/share/leakguard)")
}

// open returns the state directory's layout and keyed hasher, creating the
// key on first use.
func (sf *stateFlags) open() (registered.Layout, *keyed.Hasher, error) {
	dir, err := keyed.StateDir(sf.state)
	if err != nil {
		return registered.Layout{}, nil, err
	}
	key, err := keyed.Load(dir)
	if err != nil {
		return registered.Layout{}, nil, fmt.Errorf("installation key: %w", err)
	}
	return registered.LayoutOf(dir), keyed.New(key), nil
}

func newRegisterCmd(ev *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register",
		Short: "Register the organisation's own records, documents and files, as keyed hashes only",
		Long: `register remembers data of your own so that scans and traces recognise it anywhere:

  records  rows of a table (employees, customers, accounts): a scanned text matches a
           record when one of its identifying values and another value of the same row
           occur close together (exact data matching)
  docs     confidential documents in any format leakguard reads: a scanned text matches
           when enough of a document's passages appear, even reflowed, converted or edited
  files    films, disk images, database dumps: a whole, truncated or embedded copy is
           recognised by content-defined chunks, without reading it as text

Only keyed hashes (HMAC with the installation key in the state directory) are kept,
never a value or a sentence. Once registered, every 'leakguard scan' and 'leakguard
trace' looks for the sets.`,
		Example: `  leakguard register records hr/employees.csv --name employees --primary ssn,email
  leakguard register docs contracts/ scripts/ --name confidential
  leakguard register files /srv/screeners --name screeners
  leakguard register list`,
	}
	cmd.AddCommand(newRegisterRecordsCmd(ev), newRegisterDocsCmd(ev), newRegisterFilesCmd(ev),
		newRegisterListCmd(ev), newRegisterRemoveCmd(ev))
	return cmd
}

func newRegisterRecordsCmd(ev *env) *cobra.Command {
	var (
		st        stateFlags
		name      string
		primary   []string
		kinds     []string
		dateOrder string
	)
	cmd := &cobra.Command{
		Use:   "records FILE --name SET",
		Short: "Register the rows of a table (CSV, TSV or an xlsx workbook) with a header line",
		Long: `records reads a CSV or TSV table (delimiter sniffed among , ; tab |; "-" reads standard
input), or the first sheet of an xlsx workbook, whose first line names the columns, and
registers every row under SET. A column's
kind decides how its values are normalised and found: ssn and id (digits only), phone,
email, name (case, accents and order folded), date (any common format), generic, or skip.
Kinds are guessed from the header and a sample of rows; --kind overrides them. Primary
columns identify a person or account (by default the ssn, id and email columns): a record
is found when a primary value and at least one other value of the same row appear within
300 characters, or on the same line of a table. Registering a SET again replaces it.`,
		Example: `  leakguard register records employees.csv --name employees
  leakguard register records customers.tsv --name customers --primary account,email --kind dob=date --kind notes=skip`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := registered.CheckName(name); err != nil {
				return fmt.Errorf("--name: %w", err)
			}
			l, h, err := st.open()
			if err != nil {
				return err
			}
			opt := edm.CSVOptions{Primary: primary, Kinds: map[string]edm.Kind{}}
			for _, kv := range kinds {
				col, k, ok := strings.Cut(kv, "=")
				if !ok {
					return fmt.Errorf("--kind %q: want COLUMN=KIND", kv)
				}
				kind, err := edm.ParseKind(k)
				if err != nil {
					return fmt.Errorf("--kind %q: %w", kv, err)
				}
				opt.Kinds[col] = kind
			}
			if dateOrder != "" {
				opt.DateOrder = edm.DateOrder(strings.ToUpper(dateOrder))
			}
			var in io.Reader = ev.stdin
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
				if isWorkbook(args[0]) {
					// A workbook's first sheet, read by the extractors
					// as tab-separated rows with empty cells kept.
					sheet, err := firstSheet(cmd.Context(), f)
					if err != nil {
						return fmt.Errorf("%s: %w", args[0], err)
					}
					in, opt.Comma = sheet, '\t'
				}
			}
			dir := l.RecordsDir(name)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
			stats, cols, err := edm.RegisterCSV(dir, h, name, in, opt)
			if err != nil {
				return fmt.Errorf("register %s: %w", args[0], err)
			}
			var desc []string
			for _, c := range cols {
				s := c.Name + ":" + string(c.Kind)
				if c.Primary {
					s += " (primary)"
				}
				desc = append(desc, s)
			}
			fmt.Fprintf(ev.stdout, "registered %d rows of %s as records set %q\ncolumns: %s\n",
				stats.Rows, args[0], name, strings.Join(desc, ", "))
			return nil
		},
	}
	st.register(cmd)
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "name of the set (letters, digits, . _ -)")
	f.StringSliceVar(&primary, "primary", nil, "columns that identify a person or account (default: the ssn, id and email columns)")
	f.StringArrayVar(&kinds, "kind", nil, "COLUMN=KIND: the kind of a column (ssn, id, phone, email, name, date, generic, skip); repeatable")
	f.StringVar(&dateOrder, "date-order", "", "how to read numeric dates such as 03/04/1980: DMY, MDY or YMD (default: guessed per column)")
	cmd.MarkFlagRequired("name")
	return cmd
}

// pathSet is a document or file set being registered one path at a time.
type pathSet struct {
	// each walks the paths and hands each file's content to add: its
	// extracted text for documents, its bytes for files.
	each func(ctx context.Context, ev *env, paths []string, fn func(path string, r io.Reader), problems *int) error
	// add registers one file and says what happened in a line, "" when
	// nothing changed.
	add     func(path string, r io.Reader) (line string, unchanged bool, err error)
	save    func() error
	summary func(added int) string
}

// newRegisterPathsCmd builds 'register docs' and 'register files': walk
// the paths, add each file to the set opened by open, save once.
func newRegisterPathsCmd(ev *env, c *cobra.Command, open func(l registered.Layout, h *keyed.Hasher, name string) (*pathSet, error)) *cobra.Command {
	var (
		st   stateFlags
		name string
	)
	c.Args = cobra.MinimumNArgs(1)
	c.RunE = func(cmd *cobra.Command, paths []string) error {
		if err := registered.CheckName(name); err != nil {
			return fmt.Errorf("--name: %w", err)
		}
		l, h, err := st.open()
		if err != nil {
			return err
		}
		set, err := open(l, h, name)
		if err != nil {
			return err
		}
		added, problems := 0, 0
		err = set.each(cmd.Context(), ev, paths, func(path string, r io.Reader) {
			line, unchanged, err := set.add(path, r)
			switch {
			case err != nil:
				problems++
				fmt.Fprintf(ev.stderr, "leakguard: %s: %v\n", path, err)
			case unchanged:
				fmt.Fprintf(ev.stdout, "unchanged  %s\n", line)
			default:
				added++
				fmt.Fprintf(ev.stdout, "registered %s\n", line)
			}
		}, &problems)
		if err != nil {
			return err
		}
		if err := set.save(); err != nil {
			return err
		}
		fmt.Fprintf(ev.stdout, "%s %q: %s\n", c.Name(), name, set.summary(added))
		if problems > 0 {
			return exitError{ExitFindings}
		}
		return nil
	}
	st.register(c)
	c.Flags().StringVar(&name, "name", "", "name of the set (letters, digits, . _ -)")
	c.MarkFlagRequired("name")
	return c
}

func newRegisterDocsCmd(ev *env) *cobra.Command {
	return newRegisterPathsCmd(ev, &cobra.Command{
		Use:   "docs PATH... --name SET",
		Short: "Register confidential documents (any format leakguard reads) by their passages",
		Long: `docs reads each file under PATH (folders recursively) through the same extraction as
scan (office documents, PDF, mail, archives, text), and registers its text as one document
of SET: a winnowed selection of keyed hashes of its word sequences, never the text.
Registering a path again adds a new version when the text changed.`,
		Example: `  leakguard register docs contracts/ --name contracts
  leakguard register docs "scripts/The Interview v3.pdf" --name scripts`,
	}, func(l registered.Layout, h *keyed.Hasher, name string) (*pathSet, error) {
		keys, err := docs.NewKeys(h)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(l.DocsDir(), 0o700); err != nil {
			return nil, err
		}
		set, err := docs.OpenSet(l.DocsDir(), name, keys, docs.DefaultParams())
		if err != nil {
			return nil, err
		}
		return &pathSet{each: eachText, save: set.Save,
			add: func(path string, r io.Reader) (string, bool, error) {
				info, err := set.Add(path, r)
				return fmt.Sprintf("%s v%d: %d words, %d fingerprints", path, info.Version, info.Words, info.Fingerprints), info.Unchanged, err
			},
			summary: func(added int) string {
				return fmt.Sprintf("%d new versions, %d documents in all", added, len(set.Docs()))
			}}, nil
	})
}

func newRegisterFilesCmd(ev *env) *cobra.Command {
	return newRegisterPathsCmd(ev, &cobra.Command{
		Use:   "files PATH... --name SET",
		Short: "Register media, images and other binaries by content-defined chunks",
		Long: `files splits each file under PATH (folders recursively) into content-defined chunks
whose boundaries depend on the installation key, and registers their keyed hashes under
SET. A scan then recognises a whole copy, a cut copy or a copy inside an archive, with the
share of the file it holds. Files are read as bytes, never as text.`,
		Example: `  leakguard register files /srv/screeners --name screeners`,
	}, func(l registered.Layout, h *keyed.Hasher, name string) (*pathSet, error) {
		keys, err := media.NewKeys(h)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(l.FilesDir(), 0o700); err != nil {
			return nil, err
		}
		set, err := media.OpenSet(l.FilesDir(), name, keys, media.DefaultParams())
		if err != nil {
			return nil, err
		}
		return &pathSet{each: eachFile, save: set.Save,
			add: func(path string, r io.Reader) (string, bool, error) {
				info, err := set.Add(path, r)
				return fmt.Sprintf("%s v%d: %s, %d chunks", path, info.Version, humanBytes(info.Size), info.Chunks), info.Unchanged, err
			},
			summary: func(added int) string {
				return fmt.Sprintf("%d new versions, %d files in all", added, len(set.Files()))
			}}, nil
	})
}

// eachFile walks paths and hands fn each file's bytes.
func eachFile(ctx context.Context, ev *env, paths []string, fn func(path string, r io.Reader), problems *int) error {
	return eachItem(ctx, ev, paths, func(it source.Item) {
		rc, err := it.Open()
		if err != nil {
			*problems++
			fmt.Fprintf(ev.stderr, "leakguard: %s: %v\n", it.Location.Path, err)
			return
		}
		defer rc.Close()
		fn(it.Location.Path, rc)
	}, problems)
}

func newRegisterListCmd(ev *env) *cobra.Command {
	var (
		st     stateFlags
		format string
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the registered sets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, h, err := st.open()
			if err != nil {
				return err
			}
			sets, err := l.List(h)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				if sets == nil {
					sets = []registered.SetInfo{}
				}
				enc := json.NewEncoder(ev.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(sets)
			case "text":
				if len(sets) == 0 {
					fmt.Fprintln(ev.stdout, "no registered sets (see 'leakguard register --help')")
					return nil
				}
				tw := tabwriter.NewWriter(ev.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "TYPE\tNAME\tENTRIES\tCOLUMNS")
				for _, s := range sets {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", s.Type, s.Name, s.Entries, strings.Join(s.Columns, " "))
				}
				return tw.Flush()
			}
			return fmt.Errorf("--format %q: want text or json", format)
		},
	}
	st.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func newRegisterRemoveCmd(ev *env) *cobra.Command {
	var st stateFlags
	cmd := &cobra.Command{
		Use:     "remove TYPE NAME",
		Short:   "Remove a registered set (TYPE is records, docs or files)",
		Example: `  leakguard register remove docs contracts`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, _, err := st.open()
			if err != nil {
				return err
			}
			if err := l.Remove(args[0], args[1]); err != nil {
				return err
			}
			fmt.Fprintf(ev.stdout, "removed %s set %q\n", args[0], args[1])
			return nil
		},
	}
	st.register(cmd)
	return cmd
}

// eachItem walks paths and calls fn for every file, in the walk's order
// but one at a time; items that cannot be listed are counted in problems.
func eachItem(ctx context.Context, ev *env, paths []string, fn func(source.Item), problems *int) error {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	src := fssource.New(paths, fssource.Options{})
	return src.Walk(ctx, func(it source.Item) error {
		mu.Lock()
		defer mu.Unlock()
		fn(it)
		return nil
	}, func(e finding.ItemError) {
		if e.Reason == finding.ReasonIgnored {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		*problems++
		fmt.Fprintf(ev.stderr, "leakguard: %s: %s: %s\n", e.Location.Where(), e.Reason, e.Error)
	})
}

// maxDocText bounds the text of one registered document held while it is
// fingerprinted.
const maxDocText = 512 << 20

// eachText extracts the text of every file under paths, as scan would, and
// calls fn with each file's whole text (its streams joined by newlines).
func eachText(ctx context.Context, ev *env, paths []string, fn func(path string, text io.Reader), problems *int) error {
	set := formats.Default(1)
	defer set.Close()
	col := &textCollector{}
	reg, err := extract.New(extract.Config{Scanner: col, Extractors: set.List()})
	if err != nil {
		return err
	}
	return eachItem(ctx, ev, paths, func(it source.Item) {
		rc, err := it.Open()
		if err != nil {
			*problems++
			fmt.Fprintf(ev.stderr, "leakguard: %s: %v\n", it.Location.Path, err)
			return
		}
		defer rc.Close()
		col.buf.Reset()
		top := extract.Top{Location: it.Location, Size: it.Size, ModTime: it.ModTime, R: rc}
		if at, ok := rc.(io.ReaderAt); ok && it.Size >= 0 {
			top.At = at
		}
		_, err = reg.Extract(ctx, top, extract.Output{
			Finding: func(finding.Finding) error { return nil },
			Problem: func(e finding.ItemError) error {
				fmt.Fprintf(ev.stderr, "leakguard: %s: %s: %s (the rest is registered)\n", e.Location.Where(), e.Reason, e.Error)
				return nil
			},
		})
		if err == nil && col.err != nil {
			err = col.err
		}
		col.err = nil
		if err != nil {
			*problems++
			fmt.Fprintf(ev.stderr, "leakguard: %s: %v\n", it.Location.Path, err)
			return
		}
		fn(it.Location.Path, bytes.NewReader(col.buf.Bytes()))
	}, problems)
}

// textCollector is an extract.Scanner that keeps the text of one item.
type textCollector struct {
	mu  sync.Mutex
	buf bytes.Buffer
	err error
}

func (c *textCollector) ScanText(_ context.Context, _ finding.Location, _ string, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	room := int64(maxDocText - c.buf.Len())
	n, err := io.Copy(&c.buf, io.LimitReader(r, room))
	if err == nil && n == room {
		if m, _ := io.Copy(io.Discard, r); m > 0 && c.err == nil {
			c.err = errors.New("more than 512 MiB of text: not registered")
		}
	}
	c.buf.WriteByte('\n')
	return finding.Stats{Bytes: n}, err
}

func (c *textCollector) ScanBinary(_ context.Context, _ finding.Location, _ string, _ []byte, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	return finding.Stats{}, nil
}

// isWorkbook says whether a records file is a spreadsheet to read through
// the extractors rather than as delimited text.
func isWorkbook(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return true
	}
	return false
}

// firstSheet returns the text of a workbook's first sheet: one line per
// row, cells separated by tabs, empty cells kept.
func firstSheet(ctx context.Context, f *os.File) (io.Reader, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	set := formats.Default(1)
	defer set.Close()
	col := &sheetCollector{}
	reg, err := extract.New(extract.Config{Scanner: col, Extractors: set.List()})
	if err != nil {
		return nil, err
	}
	_, err = reg.Extract(ctx, extract.Top{Location: finding.Location{Path: f.Name()}, Size: st.Size(), ModTime: st.ModTime(), R: f, At: f},
		extract.Output{Finding: func(finding.Finding) error { return nil }, Problem: func(finding.ItemError) error { return nil }})
	if err != nil {
		return nil, err
	}
	if !col.found {
		return nil, errors.New("no worksheet with cells found")
	}
	return bytes.NewReader(col.buf.Bytes()), nil
}

// sheetCollector keeps the text of the first worksheet stream.
type sheetCollector struct {
	buf   bytes.Buffer
	found bool
}

func (c *sheetCollector) ScanText(_ context.Context, loc finding.Location, _ string, r io.Reader, _ func(finding.Finding) error) (finding.Stats, error) {
	n := len(loc.Container)
	if c.found || n == 0 || !strings.HasPrefix(loc.Container[n-1], "sheet:") {
		_, err := io.Copy(io.Discard, r)
		return finding.Stats{}, err
	}
	c.found = true
	m, err := io.Copy(&c.buf, io.LimitReader(r, maxDocText))
	return finding.Stats{Bytes: m}, err
}

func (c *sheetCollector) ScanBinary(context.Context, finding.Location, string, []byte, io.Reader, func(finding.Finding) error) (finding.Stats, error) {
	return finding.Stats{}, nil
}

// newRegisteredCmd is 'registered list|remove': the registered sets seen
// as things one has, beside 'register' as the act of adding them.
func newRegisteredCmd(ev *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "registered",
		Short: "List or remove registered sets (the same as 'register list|remove')",
	}
	cmd.AddCommand(newRegisterListCmd(ev), newRegisterRemoveCmd(ev))
	return cmd
}
