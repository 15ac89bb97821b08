package milter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	gomilter "github.com/d--j/go-milter"
)

// progressEvery is how often the MTA hears that a long Check is still
// running; Postfix waits milter_content_timeout (300 s) between messages.
const progressEvery = 5 * time.Second

// Texts of the SMTP replies. A reject names the policy (Verdict.Reason);
// a tempfail never says why: the reason is an internal failure.
const (
	defaultRejectReason     = "Message refused by data-leak policy"
	defaultQuarantineReason = "held by leakguard data-leak policy"
	tempFailText            = "4.7.1 Message could not be checked for data leaks, try again later"
)

// errConnLost says the MTA connection broke while Check ran.
var errConnLost = errors.New("milter: MTA connection lost during check")

// decide checks a received message and answers the MTA. The spool belongs
// to the check from here on and is closed when Check returns.
func (s *session) decide(m gomilter.Modifier, p *pending) (*gomilter.Response, error) {
	start := time.Now()
	queueID := m.Get(gomilter.MacroQueueId)
	v, err := s.check(m, p, queueID)
	log := s.cfg.log.With("queue_id", queueID, "client", s.client, "bytes", p.received,
		"recipients", len(p.to), "duration", time.Since(start).Round(time.Millisecond))
	if errors.Is(err, errConnLost) {
		log.Warn("milter: connection lost while checking")
		return nil, err
	}
	if err != nil {
		return s.unchecked(m, log, p.forged, err)
	}
	reason := cleanText(v.Reason, maxReasonLen)
	header := cleanText(v.Header, maxHeaderLen)
	log = log.With("action", v.Action.String(), "reason", reason)
	switch v.Action {
	case Accept:
		log.Info("milter: message checked")
		return accept(m, log, p.forged, "")
	case AddHeader:
		if header == "" {
			header = reason
		}
		if header == "" {
			header = "flagged"
		}
		log.Info("milter: message checked")
		return accept(m, log, p.forged, header)
	case Quarantine:
		if m.Actions()&gomilter.OptQuarantine == 0 {
			// The MTA cannot hold mail: refusing it keeps the leak in.
			log.Warn("milter: MTA did not grant quarantine, rejecting instead")
			return reject(reason)
		}
		if reason == "" {
			reason = defaultQuarantineReason
		}
		if err := m.Quarantine(reason); err != nil {
			return nil, err
		}
		log.Info("milter: message checked")
		return accept(m, log, p.forged, header)
	case Reject:
		log.Info("milter: message checked")
		return reject(reason)
	}
	return s.unchecked(m, log, p.forged, fmt.Errorf("milter: Check returned unknown action %d", int(v.Action)))
}

// unchecked answers for a message Check could not decide: accept it
// (fail-open) or ask the sender to try again later (fail-closed).
func (s *session) unchecked(m gomilter.Modifier, log *slog.Logger, forged int, err error) (*gomilter.Response, error) {
	if s.cfg.failClosed {
		log.Warn("milter: message not checked, tempfail", "err", err)
		return gomilter.RejectWithCodeAndReason(451, tempFailText)
	}
	log.Warn("milter: message not checked, accepted", "err", err)
	return accept(m, log, forged, "")
}

// reject refuses the message with 550 5.7.1 and the policy's reason.
func reject(reason string) (*gomilter.Response, error) {
	if reason == "" {
		reason = defaultRejectReason
	}
	return gomilter.RejectWithCodeAndReason(550, "5.7.1 "+reason)
}

// accept lets the message through after deleting any X-Leakguard field it
// came with, and adds ours when header is not empty.
func accept(m gomilter.Modifier, log *slog.Logger, forged int, header string) (*gomilter.Response, error) {
	if m.Actions()&gomilter.OptChangeHeader != 0 {
		// Deleting from the last keeps the indexes of the others.
		for i := forged; i >= 1; i-- {
			if err := m.ChangeHeader(i, HeaderName, ""); err != nil {
				return nil, err
			}
		}
	} else if forged > 0 {
		log.Warn("milter: MTA did not grant header changes, a forged X-Leakguard field stays")
	}
	if header != "" {
		if m.Actions()&gomilter.OptAddHeader == 0 {
			log.Warn("milter: MTA did not grant adding headers, X-Leakguard not added")
		} else {
			if m.Protocol()&gomilter.OptHeaderLeadingSpace != 0 {
				// Having asked for values as they are, the milter also
				// gives them so: with their space after the colon.
				header = " " + header
			}
			if err := m.AddHeader(HeaderName, header); err != nil {
				return nil, err
			}
		}
	}
	return gomilter.RespAccept, nil
}

// check runs Check on the message with the server's timeout, telling the MTA
// it is still at work meanwhile. A message that was not kept whole (too
// large, or the spool failed) is not checked and returns an error.
func (s *session) check(m gomilter.Modifier, p *pending, queueID string) (Verdict, error) {
	switch {
	case p.over:
		p.spool.close()
		return Verdict{}, fmt.Errorf("%w (%d bytes)", errTooLarge, s.cfg.maxBytes)
	case p.err != nil:
		p.spool.close()
		return Verdict{}, fmt.Errorf("milter: spooling message: %w", p.err)
	}
	msg := Message{
		From:    p.from,
		To:      p.to,
		Client:  s.client,
		Helo:    s.helo,
		User:    p.user,
		QueueID: queueID,
		Size:    p.spool.size,
		Body:    p.spool.reader(),
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.timeout)
	defer cancel()
	type result struct {
		v   Verdict
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if x := recover(); x != nil {
				r.err = fmt.Errorf("milter: Check panicked: %v", x)
			}
			// Check may outlive the wait below (it ignored its context):
			// the spool stays open until it returns, and is gone before
			// the MTA hears the verdict.
			p.spool.close()
			done <- r
		}()
		r.v, r.err = s.cfg.check(ctx, msg)
	}()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			return r.v, r.err
		case <-ctx.Done():
			select {
			case r := <-done:
				return r.v, r.err
			default:
			}
			return Verdict{}, fmt.Errorf("milter: Check did not answer within %v", s.cfg.timeout)
		case <-tick.C:
			if err := m.Progress(); err != nil && !errors.Is(err, gomilter.ErrVersionTooLow) {
				return Verdict{}, fmt.Errorf("%w: %v", errConnLost, err)
			}
		}
	}
}
