---------------------------- MODULE SetLiterals ----------------------------
(* Regression: set literals of integers combined by \cup, \cap and \ ({1, 2} \cup {3}) are typed by the
   union of their ranges. The machine once typed the right side by the left side's range and stopped on
   3 where TLC gives {1, 2, 3}. *)
EXTENDS Integers, FiniteSets

VARIABLES s, n

TypeOK == /\ s \in SUBSET (0..9)
          /\ n \in Int

Init == /\ s = {}
        /\ n = 0

Union == /\ s' = {1, 2} \cup {3}
         /\ UNCHANGED n

Count == /\ n' = Cardinality({1, 2} \cup {3}) + Cardinality({7} \ {1, 2, 7}) + Cardinality({4} \cap {2, 4})
         /\ UNCHANGED s

Mixed == /\ s' = ({1, 2} \ {2}) \cup ({5} \cap {5, 6})
         /\ UNCHANGED n

WithVariable == /\ s' = s \cup {1, 2} \cup {9}
                /\ UNCHANGED n

LiteralFirst == /\ s' = {0, 4} \cup (s \ {9})
                /\ UNCHANGED n

Subset == /\ n' = IF {1} \subseteq ({2} \cup {1}) /\ {5, 6} = {6} \cup {5} THEN 1 ELSE 2
          /\ UNCHANGED s

Member == /\ n' = IF 3 \in {1, 2} \cup {3} THEN n + 1 ELSE n - 1
          /\ UNCHANGED s

Arms == /\ n' = Cardinality(IF n > 3 THEN {1} ELSE {5, 6}) + Cardinality(CASE n = 0 -> {2} [] OTHER -> {8, 9} \ {2})
        /\ UNCHANGED s

Differ == /\ n' = IF {1} = {2} \/ {3} \subseteq {4} THEN n ELSE (n + 1) % 5
          /\ UNCHANGED s

Clear == /\ s' = {}
         /\ UNCHANGED n

Next == Union \/ Count \/ Mixed \/ WithVariable \/ LiteralFirst \/ Subset \/ Member \/ Arms \/ Differ \/ Clear
=============================================================================
