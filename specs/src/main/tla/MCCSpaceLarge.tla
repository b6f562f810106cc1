------------------------------- MODULE MCCSpaceLarge -------------------------------
(***************************************************************************)
(* Larger model of CSpace (manifest default: false): 3 slots per table. *)
(* a holds send+grant to b and send only to c; b holds send+grant to a; c  *)
(* (the confined group) holds itself; e holds itself and nobody holds e,   *)
(* so e is a component of the boot authority graph of its own.             *)
(***************************************************************************)
EXTENDS CSpace

CONSTANTS a, b, c, e

SR == {"send", "grant"}
MCThreads == {a, b, c, e}
MCLocalIds == 1..3
MCConfined == {c}

MCInitCSpace ==
    [t \in MCThreads |->
        CASE t = a -> <<[obj |-> b, rights |-> SR, gen |-> 0], [obj |-> c, rights |-> {"send"}, gen |-> 0], EmptyCap>>
          [] t = b -> <<[obj |-> a, rights |-> SR, gen |-> 0], EmptyCap, EmptyCap>>
          [] t = c -> <<[obj |-> c, rights |-> SR, gen |-> 0], EmptyCap, EmptyCap>>
          [] OTHER -> <<[obj |-> e, rights |-> SR, gen |-> 0], EmptyCap, EmptyCap>>]
=============================================================================
