------------------------------ MODULE OutOfType -------------------------------
(* Regression: a set built in scratch beside a set of a fixed type, with elements outside that type. TLC
   takes them as values like any other: S \ {x} and S \cap {x} leave them out, S = {x}
   is FALSE, S \subseteq {x, y} and Cardinality still count S's elements. The machine once stopped
   ("a set element outside its type's values") wherever the other side was a literal built in scratch
   rather than an update in place. (A range reaching past the type, {x} \subseteq S and a set of mapped
   values with no constant bounds are refused with their line and column.) *)
EXTENDS Integers, FiniteSets

VARIABLES s,     \* a set of 0..40: two words
          out,   \* what an action built from s
          n      \* a count or a truth value an action computed

TypeOK == /\ s \in SUBSET (0..40)
          /\ out \in SUBSET (0..40)
          /\ n \in Int

Init == /\ s = {0, 31, 32, 40}
        /\ out = {}
        /\ n = 0

\* s itself changes so the actions meet more than one s
Put(k) == /\ s' = s \cup {k}
          /\ UNCHANGED <<out, n>>

Take(k) == /\ s' = s \ {k}
           /\ UNCHANGED <<out, n>>

Minus(k) == /\ out' = s \ {k}
            /\ n' = Cardinality(s \ {k})
            /\ UNCHANGED s

Meet(j, k) == /\ out' = s \cap {j, k}
              /\ n' = Cardinality(s \cap {k})
              /\ UNCHANGED s

MinusNested(j, k) == /\ out' = s \ ({j} \cup ({k} \ {j}))
                     /\ UNCHANGED <<s, n>>

Compare(j, k) == /\ n' = (IF s = {k} THEN 1 ELSE 0)
                         + (IF s \cap {k} = {} THEN 10 ELSE 0)
                         + (IF s \subseteq {j, k} THEN 100 ELSE 0)
                         + (IF s = {j, k} THEN 1000 ELSE 0)
                         + (IF s # {k} THEN 10000 ELSE 0)
                         + (IF s \cap {j} \subseteq {k} THEN 100000 ELSE 0)
                         + (IF s \ {k} = {j} THEN 1000000 ELSE 0)
                         + (IF {} = s \cap {k} THEN 10000000 ELSE 0)
                 /\ UNCHANGED <<s, out>>

Quantified(k) == /\ n' = IF \E v \in s \ {k} : v > 30 THEN 1 ELSE 0
                 /\ UNCHANGED <<s, out>>

Next == \/ \E k \in {0, 31, 32, 40} : Put(k) \/ Take(k)
        \/ \E k \in {-1, 0, 31, 32, 40, 41, 64} : Minus(k) \/ Quantified(k)
        \/ \E j, k \in {-1, 0, 32, 41} : Meet(j, k) \/ MinusNested(j, k) \/ Compare(j, k)
=============================================================================
