------------------------------ MODULE ElementOps ------------------------------
(* Regression for S \ {x} and S \cup {x} assigned to S itself (and @ \ {x}, @ \cup {x} at an EXCEPT path, and
   both chained), which the generator compiles to one bit cleared or set in place instead of a copy of the
   whole bitset. Covered: x in S and x not in S; x outside S's type (taking it out changes nothing); elements
   on both sides of the 32-bit word boundary; both operations chained with the same element (the later one
   wins); the element chosen from S itself; a set of model values (bit 0 is the null's); S read elsewhere in
   the same action after its update, which TLA+ reads as the old value; the update inside an IF, beside a
   second IF that reads S (built in scratch, from the old S) or that S's IF follows; a grant's free bitmap
   (IF r = t THEN [f EXCEPT ![t] = (@ \ {k}) \cup {j}] ELSE [f EXCEPT ![r] = @ \ {k}, ![t] = @ \cup {j}]). *)
EXTENDS Integers, FiniteSets

CONSTANTS Ts

VARIABLES s,     \* a set of 0..40: two words
          f,     \* a set of 0..40 per model value
          live,  \* a set of model values
          old,   \* what an action read of a set it updated
          n      \* a count or element an action read

TypeOK == /\ s \in SUBSET (0..40)
          /\ f \in [Ts -> SUBSET (0..40)]
          /\ live \in SUBSET Ts
          /\ old \in SUBSET (0..40)
          /\ n \in Int

Init == /\ s = {0, 32}
        /\ f = [t \in Ts |-> {31}]
        /\ live = Ts
        /\ old = {}
        /\ n = 0

Take(k) == /\ s' = s \ {k}
           /\ old' = s
           /\ n' = IF k \in s THEN Cardinality(s) ELSE 100 + Cardinality(s)
           /\ UNCHANGED <<f, live>>

Put(k) == /\ s' = s \cup {k}
          /\ n' = IF k \in s THEN Cardinality(s) ELSE 100 + Cardinality(s)
          /\ old' = s
          /\ UNCHANGED <<f, live>>

Swap(j, k) == /\ s' = (s \ {j}) \cup {k}
              /\ old' = s
              /\ n' = Cardinality(s)
              /\ UNCHANGED <<f, live>>

Back(j, k) == /\ s' = (s \cup {j}) \ {k}
              /\ old' = s
              /\ n' = Cardinality(s)
              /\ UNCHANGED <<f, live>>

DropLow == /\ s # {}
           /\ s' = s \ {CHOOSE v \in s : TRUE}
           /\ n' = CHOOSE v \in s : TRUE
           /\ old' = s
           /\ UNCHANGED <<f, live>>

Give(r, t, k, j) == /\ k \in f[r]
                    /\ f' = IF r = t THEN [f EXCEPT ![t] = (@ \ {k}) \cup {j}]
                            ELSE [f EXCEPT ![r] = @ \ {k}, ![t] = @ \cup {j}]
                    /\ n' = Cardinality(f[r]) + 100 * Cardinality(f[t])
                    /\ old' = f[t]
                    /\ UNCHANGED <<s, live>>

Kill(t) == /\ live' = live \ {t}
           /\ n' = Cardinality(live)
           /\ UNCHANGED <<s, f, old>>

Revive(t) == /\ live' = live \cup {t}
             /\ n' = Cardinality(live)
             /\ UNCHANGED <<s, f, old>>

\* S toggled in an IF; the IF after it reads S, so it is built before either commits, from the old S
Toggle(t, k) == /\ s' = IF k \in s THEN s \ {k} ELSE s \cup {k}
                /\ f' = IF k \in s THEN [f EXCEPT ![t] = s] ELSE [f EXCEPT ![t] = @ \cup {k}]
                /\ n' = IF k \in s THEN 1 ELSE 0
                /\ UNCHANGED <<live, old>>

\* the same with the IF that reads S first
ToggleAfter(t, k) == /\ f' = IF k \in s THEN [f EXCEPT ![t] = s \ {0}] ELSE [f EXCEPT ![t] = @ \ {k}]
                     /\ s' = IF k \in s THEN s \ {k} ELSE s \cup {k}
                     /\ old' = s
                     /\ UNCHANGED <<live, n>>

Next == \/ \E k \in {-1, 0, 1, 31, 32, 33, 40, 41} : Take(k)
        \/ \E k \in {0, 31, 32, 33, 40} : Put(k)
        \/ \E j, k \in {0, 31, 32, 40} : Swap(j, k) \/ Back(j, k)
        \/ DropLow
        \/ \E r, t \in Ts, k, j \in {0, 31, 32, 40} : Give(r, t, k, j)
        \/ \E t \in Ts : Kill(t) \/ Revive(t)
        \/ \E t \in Ts, k \in {0, 31, 32, 40} : Toggle(t, k) \/ ToggleAfter(t, k)
=============================================================================
