package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/detect"
	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/rules"
)

func newRulesCmd(ev *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List and check detection rules",
	}
	cmd.AddCommand(newRulesListCmd(ev), newRulesCheckCmd(ev))
	return cmd
}

type ruleSummary struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Entity     string   `json:"entity,omitempty"`
	Severity   string   `json:"severity"`
	Confidence string   `json:"confidence"`
	Keywords   []string `json:"keywords,omitempty"`
	Validators []string `json:"validators,omitempty"`
}

func newRulesListCmd(ev *env) *cobra.Command {
	var rf ruleFlags
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the rules a scan would use",
		Example: `  leakguard rules list
  leakguard rules list --kind pii --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rs, err := rf.load()
			if err != nil {
				return err
			}
			list := make([]ruleSummary, 0, len(rs))
			for _, r := range rs {
				list = append(list, ruleSummary{r.ID, r.Name, string(r.Kind), r.Entity, string(r.Severity), r.Confidence.String(), r.Keywords, r.Validators})
			}
			switch format {
			case "json":
				enc := json.NewEncoder(ev.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			case "text":
				tw := tabwriter.NewWriter(ev.stdout, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tKIND\tENTITY\tSEVERITY\tNAME")
				for _, r := range list {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Entity, r.Severity, r.Name)
				}
				fmt.Fprintf(tw, "\n%d rules\n", len(list))
				return tw.Flush()
			}
			return fmt.Errorf("--format %q: want text or json", format)
		},
	}
	rf.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newRulesCheckCmd(ev *env) *cobra.Command {
	return &cobra.Command{
		Use:   "check [FILE...]",
		Short: "Run every rule's examples and negative examples through the engine",
		Long: `check compiles the rules and scans each example (which must be found by its rule) and each
negative example (which must not be), with all rules enabled, exactly as a scan would.
Without files it checks the built-in rules; with files, the rules in them (YAML, or a
gitleaks .toml). It exits 1 when an example misbehaves.`,
		Example: `  leakguard rules check
  leakguard rules check my-rules.yaml`,
		RunE: func(cmd *cobra.Command, files []string) error {
			var rs []rules.Rule
			if len(files) == 0 {
				rs = rules.Builtin()
			}
			for _, f := range files {
				more, err := rules.LoadFile(f)
				if err != nil {
					return err
				}
				rs = append(rs, more...)
			}
			// Examples are fingerprinted like any text; a throwaway key keeps
			// the check from needing (or creating) a state directory.
			e, err := detect.Compile(rs, detect.WithHasher(keyed.New([]byte("rules check"))))
			if err != nil {
				return err
			}
			problems, err := e.CheckExamples(cmd.Context())
			if err != nil {
				return err
			}
			n := 0
			for _, r := range rs {
				n += len(r.Examples) + len(r.NegativeExamples)
			}
			for _, p := range problems {
				fmt.Fprintln(ev.stdout, p)
			}
			fmt.Fprintf(ev.stdout, "%d rules, %d examples, %d problems\n", len(rs), n, len(problems))
			if len(problems) > 0 {
				return exitError{ExitFindings}
			}
			return nil
		},
	}
}

func (rf *ruleFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&rf.files, "rules", nil, "extra rules file: leakguard YAML or a gitleaks .toml (repeatable)")
	f.BoolVar(&rf.noBuiltin, "no-builtin", false, "use only the rules given with --rules")
	f.StringSliceVar(&rf.kinds, "kind", nil, "only rules of these kinds: secret, pii, marking, registered (registered data: see 'leakguard register'); repeatable or comma-separated")
}
