------------------------------ MODULE LedgerOps ------------------------------
(* Helpers for Ledger, used through INSTANCE with a substituted capacity. *)
EXTENDS Naturals, Sequences

CONSTANTS Cap   \* the log's capacity

Fits(q, x) == Len(q) + Len(x) <= Cap
Kind(n) == CASE n = 0 -> "empty"
             [] n < 3 -> "small"
             [] OTHER -> "big"
Positive(f) == {k \in DOMAIN f : f[k] > 0}
=============================================================================
