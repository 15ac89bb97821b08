package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/baseline"
)

func newBaselineCmd(ev *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Record current findings so later scans report only new ones",
	}
	var sf scanFlags
	create := &cobra.Command{
		Use:   "create PATH...",
		Short: "Scan PATHs and write their findings as a baseline (fingerprints, no values)",
		Long: `create scans like 'leakguard scan' and writes the findings' rule ids, keyed fingerprints
and item paths to a JSON file. 'leakguard scan --baseline FILE' then skips those. The
fingerprints are keyed with the installation key: share the key (LEAKGUARD_KEY, 64 hex
digits) with the machines, such as CI, that use the baseline. The baseline names its key
(by a keyed check, not the key): a scan with another key refuses it instead of matching
nothing.`,
		Example: `  leakguard baseline create --output .leakguard-baseline.json .`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			if sf.output == "" {
				return fmt.Errorf("--output is required")
			}
			out, err := createOutput(sf.output, ev.stdout)
			if err != nil {
				return err
			}
			defer out.abort()
			col, _, err := collect(cmd.Context(), ev, &sf, paths)
			if err != nil {
				return err
			}
			if err := baseline.Write(out, col.findings.Seq(), sf.hasher.Check()); err != nil {
				return err
			}
			if err := out.commit(); err != nil {
				return err
			}
			fmt.Fprintf(ev.stderr, "leakguard: baseline of %d findings written to %s\n", col.findings.Len(), sf.output)
			return nil
		},
	}
	sf.registerEngine(create)
	sf.registerExtract(create)
	create.Flags().StringVarP(&sf.output, "output", "o", "", "baseline file to write (required)")
	create.Flags().IntVar(&sf.workers, "workers", 0, "files scanned at once, a long one spread over those free (default: number of CPUs)")
	create.Flags().StringArrayVar(&sf.exclude, "exclude", nil, "skip paths matching this gitignore-style pattern (repeatable)")
	cmd.AddCommand(create)
	return cmd
}
