-------------------------------- MODULE Bank --------------------------------
(* Accounts transfer money between each other; interest is added to positive balances. *)
EXTENDS Integers

CONSTANTS Accounts,   \* the accounts (model values)
          Initial,    \* every account's opening balance
          MaxAmount   \* largest single transfer

VARIABLES balance,    \* each account's balance
          hMoved      \* ghost: total amount transferred

TypeOK == /\ balance \in [Accounts -> Int]
          /\ hMoved \in Nat

Init == /\ balance = [a \in Accounts |-> Initial]
        /\ hMoved = 0

Distinct(from, to) == from /= to
CanWithdraw(from, amt) == balance[from] >= amt

Transfer(from, to, amt) == /\ Distinct(from, to)
                           /\ CanWithdraw(from, amt)
                           /\ balance' = [balance EXCEPT ![from] = @ - amt, ![to] = @ + amt + (IF amt = MaxAmount THEN 1 ELSE 0)]
                           /\ hMoved' = hMoved + amt

Interest(a) == /\ balance[a] > 0
               /\ balance[a] < 1000
               /\ balance' = [balance EXCEPT ![a] = @ + (@ \div 10) + 1]
               /\ UNCHANGED hMoved

Fee(a) == LET fee == IF balance[a] > 20 THEN 2 ELSE 1
          IN /\ balance[a] - fee >= 0
             /\ balance' = [balance EXCEPT ![a] = @ - fee]
             /\ UNCHANGED hMoved

Next == \/ \E from, to \in Accounts, amt \in 1..MaxAmount : Transfer(from, to, amt)
        \/ \E a \in Accounts : Interest(a) \/ Fee(a)

NonNegative == \A a \in Accounts : balance[a] >= 0
SomeoneSolvent == \E a \in Accounts : balance[a] > 0
MovedNonNegative == hMoved >= 0
=============================================================================
