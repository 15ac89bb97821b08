package milter

import (
	"fmt"

	gomilter "github.com/d--j/go-milter"
)

// wantActions are the changes the milter may make to a message: add the
// X-Leakguard header, delete forged ones, and put a message on hold.
const wantActions = gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptQuarantine

// wantProtocol asks the MTA to leave out the events the milter does not use
// (DATA, end of headers, unknown commands) and not to wait for a reply to
// the events it only records: the verdict is given once, at the end of the
// message. Body chunks keep their reply so that the milter can say "skip
// the rest" once a message is over MaxBytes. Header values come with their
// leading space, so the message Check sees is the one the MTA received.
const wantProtocol = gomilter.OptNoData | gomilter.OptNoEOH | gomilter.OptNoUnknown |
	gomilter.OptSkip | gomilter.OptHeaderLeadingSpace |
	gomilter.OptNoConnReply | gomilter.OptNoHeloReply | gomilter.OptNoMailReply |
	gomilter.OptNoRcptReply | gomilter.OptNoHeaderReply | gomilter.OptNoEOHReply |
	gomilter.OptNoDataReply | gomilter.OptNoUnknownReply

// newProtocolServer builds the go-milter server that runs one session per
// MTA connection.
func newProtocolServer(cfg *config) *gomilter.Server {
	return gomilter.NewServer(
		gomilter.WithDynamicMilter(func(version uint32, actions gomilter.OptAction, protocol gomilter.OptProtocol, _ gomilter.DataSize) gomilter.Milter {
			cfg.log.Debug("milter: MTA connected", "version", version, "actions", actions.String(), "protocol", protocol.String())
			return &session{cfg: cfg}
		}),
		gomilter.WithActions(wantActions),
		gomilter.WithProtocols(wantProtocol),
		gomilter.WithNegotiationCallback(negotiate),
		// Postfix sends exactly the macros a milter asks for.
		gomilter.WithMacroRequest(gomilter.StageMail, []gomilter.MacroName{gomilter.MacroAuthAuthen}),
		gomilter.WithMacroRequest(gomilter.StageEOM, []gomilter.MacroName{gomilter.MacroQueueId}),
		gomilter.WithReadTimeout(idleTimeout),
	)
}

// negotiate takes what the MTA offers of what the milter wants instead of
// failing as go-milter's default does when one option is missing: an MTA
// without quarantine still gets rejects, one without SMFIP_SKIP still sends
// every body chunk, and protocol version 2 still works. The session checks
// the negotiated actions before it uses one.
func negotiate(mtaVersion, milterVersion uint32, mtaActions, milterActions gomilter.OptAction, mtaProtocol, milterProtocol gomilter.OptProtocol, offered gomilter.DataSize) (uint32, gomilter.OptAction, gomilter.OptProtocol, gomilter.DataSize, error) {
	if mtaVersion < 2 {
		return 0, 0, 0, 0, fmt.Errorf("milter: MTA speaks protocol version %d, need 2 or later", mtaVersion)
	}
	return min(mtaVersion, milterVersion), milterActions & mtaActions, milterProtocol & mtaProtocol, offered, nil
}
