------------------------------ MODULE LowestBit ------------------------------
(* Regression for the word-at-a-time lowering of sets kept as bitmaps (32-bit words). The lowest element
   of a set, asked for as CHOOSE v \in S : TRUE or as CHOOSE v \in S : \A w \in S : v <= w, is found by the
   first nonzero word and its trailing zeros; every walk over such a set (a CHOOSE with another predicate, a
   quantifier, a set filter) takes a word at a time; the set of all values of a constant set is filled a
   word at a time; S = {} tests the words. Sets of 63, 64, 65 and 130 elements, so the last word is short,
   full, or holds one element; elements at both sides of every word boundary; the lowest element in the first,
   the second and the last word; and the empty set, on which CHOOSE stops TLC (no witness) and must stop the
   machine. *)
EXTENDS Integers, FiniteSets

CONSTANTS Ids   \* 1..130 in the model

MCIds == 1..130

VARIABLES a,   \* 63 elements, bits 0..62: two words, the second one short
          b,   \* 64 elements, bits 0..63: two full words
          c,   \* 65 elements, bits 0..64: a third word for the last one
          d,   \* Ids = 1..130, a constant set: bit 0 is its null, bits 1..130 five words
          x    \* the last element chosen or count taken

TypeOK == /\ a \in SUBSET (0..62)
          /\ b \in SUBSET (1..64)
          /\ c \in SUBSET (0..64)
          /\ d \in SUBSET Ids
          /\ x \in Int

Init == /\ a = {}
        /\ b = {}
        /\ c = {}
        /\ d = {}
        /\ x = 0

Low(S) == CHOOSE v \in S : TRUE
Min(S) == CHOOSE v \in S : \A w \in S : v <= w
MinGe(S) == CHOOSE v \in S : \A w \in S : w >= v
FirstAbove(S, k) == CHOOSE v \in S : v > k

FillA == /\ a' = (0..62)
         /\ UNCHANGED <<b, c, d, x>>

ClearA == /\ a' = {}
          /\ UNCHANGED <<b, c, d, x>>

AddA(k) == /\ a' = a \cup {k}
           /\ UNCHANGED <<b, c, d, x>>

AboveA(k) == /\ a' = {v \in a : v > k}
             /\ UNCHANGED <<b, c, d, x>>

DropLowA == /\ a' = a \ {Low(a)}
            /\ UNCHANGED <<b, c, d, x>>

LowA == /\ x' = Low(a)
        /\ UNCHANGED <<a, b, c, d>>

MinA == /\ x' = Min(a)
        /\ UNCHANGED <<a, b, c, d>>

MinGeA == /\ x' = MinGe(a)
          /\ UNCHANGED <<a, b, c, d>>

LowUnusedA == /\ x' = Low((0..62) \ a)
              /\ UNCHANGED <<a, b, c, d>>

FirstAboveA(k) == /\ x' = FirstAbove(a, k)
                  /\ UNCHANGED <<a, b, c, d>>

CountA == /\ x' = Cardinality({v \in a : v > 31}) + (IF \E v \in a : v > 63 THEN 1000 ELSE 0)
          /\ UNCHANGED <<a, b, c, d>>

NonEmptyA == /\ a # {}
             /\ x' = Min(a)
             /\ UNCHANGED <<a, b, c, d>>

FillB == /\ b' = (1..64)
         /\ UNCHANGED <<a, c, d, x>>

ClearB == /\ b' = {}
          /\ UNCHANGED <<a, c, d, x>>

AddB(k) == /\ b' = b \cup {k}
           /\ UNCHANGED <<a, c, d, x>>

AboveB(k) == /\ b' = {v \in b : v > k}
             /\ UNCHANGED <<a, c, d, x>>

DropLowB == /\ b' = b \ {Low(b)}
            /\ UNCHANGED <<a, c, d, x>>

LowB == /\ x' = Low(b)
        /\ UNCHANGED <<a, b, c, d>>

MinB == /\ x' = Min(b)
        /\ UNCHANGED <<a, b, c, d>>

MinGeB == /\ x' = MinGe(b)
          /\ UNCHANGED <<a, b, c, d>>

LowUnusedB == /\ x' = Low((1..64) \ b)
              /\ UNCHANGED <<a, b, c, d>>

FirstAboveB(k) == /\ x' = FirstAbove(b, k)
                  /\ UNCHANGED <<a, b, c, d>>

CountB == /\ x' = Cardinality({v \in b : v > 31}) + (IF \E v \in b : v > 63 THEN 1000 ELSE 0)
          /\ UNCHANGED <<a, b, c, d>>

NonEmptyB == /\ b # {}
             /\ x' = Min(b)
             /\ UNCHANGED <<a, b, c, d>>

FillC == /\ c' = (0..64)
         /\ UNCHANGED <<a, b, d, x>>

ClearC == /\ c' = {}
          /\ UNCHANGED <<a, b, d, x>>

AddC(k) == /\ c' = c \cup {k}
           /\ UNCHANGED <<a, b, d, x>>

AboveC(k) == /\ c' = {v \in c : v > k}
             /\ UNCHANGED <<a, b, d, x>>

DropLowC == /\ c' = c \ {Low(c)}
            /\ UNCHANGED <<a, b, d, x>>

LowC == /\ x' = Low(c)
        /\ UNCHANGED <<a, b, c, d>>

MinC == /\ x' = Min(c)
        /\ UNCHANGED <<a, b, c, d>>

MinGeC == /\ x' = MinGe(c)
          /\ UNCHANGED <<a, b, c, d>>

LowUnusedC == /\ x' = Low((0..64) \ c)
              /\ UNCHANGED <<a, b, c, d>>

FirstAboveC(k) == /\ x' = FirstAbove(c, k)
                  /\ UNCHANGED <<a, b, c, d>>

CountC == /\ x' = Cardinality({v \in c : v > 31}) + (IF \E v \in c : v > 63 THEN 1000 ELSE 0)
          /\ UNCHANGED <<a, b, c, d>>

NonEmptyC == /\ c # {}
             /\ x' = Min(c)
             /\ UNCHANGED <<a, b, c, d>>

FillD == /\ d' = Ids
         /\ UNCHANGED <<a, b, c, x>>

ClearD == /\ d' = {}
          /\ UNCHANGED <<a, b, c, x>>

AddD(k) == /\ d' = d \cup {k}
           /\ UNCHANGED <<a, b, c, x>>

AboveD(k) == /\ d' = {v \in d : v > k}
             /\ UNCHANGED <<a, b, c, x>>

DropLowD == /\ d' = d \ {Low(d)}
            /\ UNCHANGED <<a, b, c, x>>

LowD == /\ x' = Low(d)
        /\ UNCHANGED <<a, b, c, d>>

MinD == /\ x' = Min(d)
        /\ UNCHANGED <<a, b, c, d>>

MinGeD == /\ x' = MinGe(d)
          /\ UNCHANGED <<a, b, c, d>>

LowUnusedD == /\ x' = Low(Ids \ d)
              /\ UNCHANGED <<a, b, c, d>>

FirstAboveD(k) == /\ x' = FirstAbove(d, k)
                  /\ UNCHANGED <<a, b, c, d>>

CountD == /\ x' = Cardinality({v \in d : v > 31}) + (IF \E v \in d : v > 63 THEN 1000 ELSE 0)
          /\ UNCHANGED <<a, b, c, d>>

(* The null of Ids (0, the bit below it) in d: TypeOK no longer holds, and the machine's TypeOK must say so
   (it once read bit i as the element lo + i, so the null passed for 1 and 130 was never read). *)
AddNullD == /\ d' = d \cup {0}
            /\ UNCHANGED <<a, b, c, x>>

NonEmptyD == /\ d # {}
             /\ x' = Min(d)
             /\ UNCHANGED <<a, b, c, d>>

Next == \/ FillA \/ ClearA \/ DropLowA \/ LowA \/ MinA \/ MinGeA \/ LowUnusedA \/ CountA \/ NonEmptyA
        \/ \E k \in {0, 31, 32, 33, 62} : AddA(k) \/ AboveA(k) \/ FirstAboveA(k)
        \/ FillB \/ ClearB \/ DropLowB \/ LowB \/ MinB \/ MinGeB \/ LowUnusedB \/ CountB \/ NonEmptyB
        \/ \E k \in {1, 32, 33, 64} : AddB(k) \/ AboveB(k) \/ FirstAboveB(k)
        \/ FillC \/ ClearC \/ DropLowC \/ LowC \/ MinC \/ MinGeC \/ LowUnusedC \/ CountC \/ NonEmptyC
        \/ \E k \in {0, 31, 32, 63, 64} : AddC(k) \/ AboveC(k) \/ FirstAboveC(k)
        \/ FillD \/ ClearD \/ DropLowD \/ LowD \/ MinD \/ MinGeD \/ LowUnusedD \/ CountD \/ NonEmptyD \/ AddNullD
        \/ \E k \in {1, 31, 32, 63, 64, 65, 96, 127, 128, 130} : AddD(k) \/ AboveD(k) \/ FirstAboveD(k)
=============================================================================
