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
	list := pageListCmd(&inv, "events", 50, []string{"text", "json"}, (store.Store).Events,
		func(events []store.Event, next string) error {
			if inv.format == "json" {
				return writeJSON(ev.stdout, struct {
					Events []store.Event `json:"events"`
					Next   string        `json:"next,omitempty"`
				}{events, next})
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
			nextPage(ev.stdout, next)
			return nil
		})
	cmd.AddCommand(list)
	return cmd
}
