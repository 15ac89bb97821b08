package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/store"
)

// newEventsCmd is 'leakguard events list': what the inline channels of
// 'serve' blocked, alerted on or redacted, from the inventory.
func newEventsCmd(ev *env) *cobra.Command {
	var inv inventoryFlags
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List what 'serve' blocked, redacted or alerted on (from the inventory)",
	}
	inv.register(cmd)
	var limit int
	var after string
	list := &cobra.Command{
		Use:   "list",
		Short: "List events, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(inv.format, "text", "json"); err != nil {
				return err
			}
			st, err := inv.open(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer st.Close()
			events, next, err := st.Events(cmd.Context(), store.Page{Limit: limit, After: after})
			if err != nil {
				return err
			}
			if inv.format == "json" {
				return writeJSON(ev.stdout, struct {
					Events []store.Event `json:"events"`
					Next   string        `json:"next,omitempty"`
				}{orNone(events), next})
			}
			tw := tabwriter.NewWriter(ev.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tAT\tCHANNEL\tACTION\tCLIENT\tUSER\tDESTINATION\tREASON")
			for _, e := range events {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, stamp(e.At), e.Channel, e.Action, e.Client, e.User,
					e.Destination, strings.ReplaceAll(e.Reason, "\t", " "))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if next != "" {
				fmt.Fprintf(ev.stdout, "\nmore: --after %s\n", next)
			}
			return nil
		},
	}
	list.Flags().IntVar(&limit, "limit", 50, "events per page")
	list.Flags().StringVar(&after, "after", "", "start after this event id (the cursor printed under a page)")
	inv.formatFlag(list, "text, json")
	cmd.AddCommand(list)
	return cmd
}
