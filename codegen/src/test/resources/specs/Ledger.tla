------------------------------- MODULE Ledger -------------------------------
(* A log of amounts with per-account balances: INSTANCE, CASE, DOMAIN, \o and Head in one spec. *)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS Accounts,  \* the accounts (model values)
          MaxLog     \* the log's bound

VARIABLES log,       \* amounts recorded, oldest first
          bal,       \* each account's last recorded amount
          phase      \* how full the log is

Ops == INSTANCE LedgerOps WITH Cap <- MaxLog

TypeOK == /\ log \in Seq(0..3)
          /\ Len(log) <= MaxLog
          /\ bal \in [Accounts -> 0..3]
          /\ phase \in {"empty", "small", "big"}

Init == /\ log = <<>>
        /\ bal = [a \in Accounts |-> 0]
        /\ phase = "empty"

Record(a, x) == /\ Ops!Fits(log, <<x, x>>)
                /\ log' = log \o <<x, x>>
                /\ bal' = [bal EXCEPT ![a] = x]
                /\ phase' = Ops!Kind(Len(log) + 2)

Shift == /\ log /= <<>>
         /\ Head(log) >= 0
         /\ log' = Tail(log)
         /\ bal' = bal
         /\ phase' = Ops!Kind(Len(log) - 1)

Next == \/ \E a \in Accounts, x \in 0..3 : Record(a, x)
        \/ Shift

Consistent == phase = Ops!Kind(Len(log))
FewPositive == Cardinality(Ops!Positive(bal)) <= Cardinality(Accounts)
DomainIsAccounts == DOMAIN bal = Accounts
=============================================================================
