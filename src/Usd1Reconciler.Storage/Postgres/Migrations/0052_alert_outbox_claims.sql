-- Issue 14.5: an outbox entry is claimed by the instance that delivers it (FOR UPDATE SKIP LOCKED, and the claim's
-- expiry set in the same statement), so two instances never push the same page at once. A claimer that dies before it
-- marks the entry delivered or failed leaves a claim that runs out, and the entry is due again for the next instance
-- (at least once; Alertmanager deduplicates a re-post with identical labels, so it pages once).
ALTER TABLE alert_outbox ADD COLUMN claim_expires_at timestamptz NULL;
