------------------------------ MODULE Readable ------------------------------
(* A small spec whose generated code is checked for readability: folded constants, locals named after *)
(* the spec's operators, LET definitions and bound variables, Javadoc quoting the spec, guards named   *)
(* from their text.                                                                                    *)
EXTENDS Naturals, FiniteSets
CONSTANTS Slots, Max
VARIABLES used, count, owner

TypeOK == /\ used \in SUBSET Slots
          /\ count \in 0..Max
          /\ owner \in [Slots -> 0..Max]

Init == /\ used = {}
        /\ count = 0
        /\ owner = [x \in Slots |-> 0]

FirstFreeSlot == CHOOSE slot \in Slots : slot \notin used

Take ==
    /\ count < Max
    /\ used # Slots
    /\ 2 * 3 > 5
    /\ used' = used \cup {FirstFreeSlot}
    /\ owner' = [owner EXCEPT ![FirstFreeSlot] = count]
    /\ count' = count + (1 + 0)

Drop(s) ==
    /\ s \in used
    /\ LET mine == owner[s] IN
          /\ mine < Max
          /\ count' = mine + 1
    /\ used' = used \ {s}
    /\ UNCHANGED owner

Next == Take \/ \E s \in Slots : Drop(s)

Bounded == \A slot \in used : count >= 1
=============================================================================
