package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakguard/leakguard/internal/keyed"
	"github.com/leakguard/leakguard/internal/server"
)

// newTokensCmd manages the bearer tokens of `leakguard serve`'s HTTP API.
func newTokensCmd(ev *env) *cobra.Command {
	var state string
	open := func() (*server.Tokens, error) {
		dir, err := keyed.StateDir(state)
		if err != nil {
			return nil, err
		}
		return server.OpenTokens(dir)
	}
	cmd := &cobra.Command{
		Use:   "tokens",
		Short: "Create, list and revoke the bearer tokens of the HTTP API",
		Long: `Every endpoint of the HTTP API of 'leakguard serve' but /health needs a bearer token:

  curl -H "Authorization: Bearer lgt_…" --data-binary @file http://127.0.0.1:8080/v1/scan

A token is shown once, when created; the state directory keeps only its SHA-256
(tokens.json, mode 0600), with its name and creation time. Changes take effect in a
running server at once.`,
		Example: `  leakguard tokens create --name ci
  TOKEN=$(leakguard tokens create --name proxy 2>/dev/null)
  leakguard tokens list
  leakguard tokens revoke ci`,
	}
	cmd.PersistentFlags().StringVar(&state, "state", "", "state directory holding tokens.json (default $LEAKGUARD_HOME or ~/.local/share/leakguard)")

	var name string
	create := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create a token and print it, once, alone on the last line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			toks, err := open()
			if err != nil {
				return err
			}
			token, err := toks.Create(name)
			if err != nil {
				return err
			}
			// The note goes to stderr, the token alone to stdout, so that
			// $(leakguard tokens create …) is the token and a terminal shows
			// it last.
			fmt.Fprintf(ev.stderr, "Created token %q (stored hashed in %s). It is shown only now:\n", name, toks.Path())
			fmt.Fprintln(ev.stdout, token)
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "name of the token (letters, digits, '.', '_', '-', '@'); shown in logs")
	create.MarkFlagRequired("name")

	list := &cobra.Command{
		Use:   "list",
		Short: "List the tokens' names and creation times",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			toks, err := open()
			if err != nil {
				return err
			}
			l, err := toks.List()
			if err != nil {
				return err
			}
			if len(l) == 0 {
				fmt.Fprintln(ev.stderr, "no tokens; create one with 'leakguard tokens create --name NAME'")
				return nil
			}
			tw := tabwriter.NewWriter(ev.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tCREATED")
			for _, t := range l {
				fmt.Fprintf(tw, "%s\t%s\n", t.Name, t.Created.UTC().Format(time.RFC3339))
			}
			return tw.Flush()
		},
	}

	revoke := &cobra.Command{
		Use:   "revoke NAME",
		Short: "Revoke a token: requests with it are refused from now on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			toks, err := open()
			if err != nil {
				return err
			}
			if err := toks.Revoke(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(ev.stderr, "Revoked token %q.\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}
