------------------------------- MODULE IfExcept -------------------------------
(* Regression: `v' = IF c THEN [v EXCEPT ...] ELSE [v EXCEPT ...]` (and nested IF and CASE whose every branch
   is an EXCEPT of v or v itself) is done in place per branch, as a linked list's unlink is. Each branch's
   updates see the state before the action, as TLC's do: conjuncts after the assignment read v, two paths
   of one branch may name the same slot (a = b), a path may leave the domain, a branch may leave v unchanged,
   two such updates in one action read each other's variable (one is done in place, the other in scratch),
   and a branch whose later path reads @ where an earlier one may have written keeps the whole IF in scratch.
   Several such updates in one action are each done in place unless one reads a variable an earlier one has
   written; in the ELSE of IF r = t the paths ![r] and ![t] cannot meet (a grant's free bitmap). *)
EXTENDS Integers, Sequences

VARIABLES f,   \* a function over a range
          g,   \* a function of functions
          q,   \* a function of bounded sequences
          x    \* a scalar read from f after f's update

TypeOK == /\ f \in [0..2 -> 0..9]
          /\ g \in [0..1 -> [0..1 -> 0..9]]
          /\ q \in [0..1 -> Seq(0..9)]
          /\ \A i \in 0..1 : Len(q[i]) <= 2
          /\ x \in 0..9

Init == /\ f = [i \in 0..2 |-> i]
        /\ g = [i \in 0..1 |-> [j \in 0..1 |-> 0]]
        /\ q = [i \in 0..1 |-> <<>>]
        /\ x = 0

\* both branches write f[a] and f[b]; when a = b the later path wins, its value computed from the old f
Swap(a, b) == /\ f' = IF f[a] < f[b] THEN [f EXCEPT ![a] = f[b], ![b] = f[a]]
                      ELSE [f EXCEPT ![b] = (@ + 1) % 10, ![a] = (f[b] + 2) % 10]
              /\ x' = (f[a] + f[b]) % 10
              /\ UNCHANGED <<g, q>>

\* a path outside the domain (a + 1 = 3) changes nothing; the ELSE leaves f as it is
Shift(a) == /\ f' = IF a > 0 THEN [f EXCEPT ![a + 1] = (@ + f[a]) % 10, ![a] = 0] ELSE f
            /\ x' = f[a]
            /\ UNCHANGED <<g, q>>

\* nested IF and CASE; the chosen paths depend on the values about to change
Nested(a, b) == /\ g' = IF g[a][b] = 0
                        THEN (CASE g[1 - a][b] = 0 -> [g EXCEPT ![a][b] = 1 + (g[1 - a][1 - b] % 9)]
                                [] g[1 - a][b] > 5 -> [g EXCEPT ![a][1 - b] = (@ + 2) % 10]
                                [] OTHER -> g)
                        ELSE IF a = b THEN [g EXCEPT ![a][b] = 0, ![a][g[a][b] % 2] = 5]
                             ELSE [g EXCEPT ![g[a][b] % 2][a] = (@ + 3) % 10, ![a][b] = (g[b][a] + 1) % 10]
                /\ x' = (g[a][b] + g[b][a]) % 10
                /\ UNCHANGED <<f, q>>

\* Append and Tail at a path, each in its branch; two paths that may clash and read @ (built in scratch)
Move(a, v) == /\ q' = IF q[a] = <<>> \/ v > 4 THEN [q EXCEPT ![a] = Append(@, v)]
                      ELSE [q EXCEPT ![a] = Tail(@), ![1 - a] = Append(@, Head(q[a]))]
              /\ Len(q[a]) < 2 /\ Len(q[1 - a]) < 2
              /\ x' = IF q[a] = <<>> THEN 0 ELSE Head(q[a])
              /\ UNCHANGED <<f, g>>

\* two such updates in one action, each reading the variable the other writes
Both(a) == /\ f' = IF g[0][a % 2] = 0 THEN [f EXCEPT ![a] = g[1][0]] ELSE [f EXCEPT ![a] = g[0][1], ![0] = 9]
           /\ g' = IF f[a] > 4 THEN [g EXCEPT ![0][1] = f[a] % 10] ELSE [g EXCEPT ![1][a % 2] = f[0]]
           /\ UNCHANGED <<q, x>>

\* paths that may name one slot in general but not in their branch; a second IF of EXCEPTs in the action
Give(r, t) == /\ f' = IF r = t THEN [f EXCEPT ![t] = (@ + 1) % 10]
                      ELSE [f EXCEPT ![r] = (@ + 9) % 10, ![t] = (@ + f[r]) % 10]
              /\ g' = IF g[0][0] = 0 THEN [g EXCEPT ![0][1] = (@ + 1) % 10] ELSE [g EXCEPT ![0][0] = @ - 1]
              /\ UNCHANGED <<q, x>>

Reset == /\ f' = [i \in 0..2 |-> i]
         /\ q' = [i \in 0..1 |-> <<>>]
         /\ UNCHANGED <<g, x>>

Next == \/ \E a, b \in 0..2 : Swap(a, b)
        \/ \E a \in 0..2 : Shift(a) \/ Both(a)
        \/ \E a, b \in 0..1 : Nested(a, b)
        \/ \E a \in 0..1, v \in 0..9 : Move(a, v)
        \/ \E r, t \in 0..2 : Give(r, t)
        \/ Reset
=============================================================================
