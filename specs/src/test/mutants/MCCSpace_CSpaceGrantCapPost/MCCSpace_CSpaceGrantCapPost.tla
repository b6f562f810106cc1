------------------------------- MODULE MCCSpace_CSpaceGrantCapPost -------------------------------
(***************************************************************************)
(* Bounded model of the take-grant core alone (CSpace, no messages).       *)
(* a holds send+grant to b and send only to c; b holds send+grant to a; c  *)
(* (the confined group) holds itself; e holds itself and nobody holds e,   *)
(* so e is a component of the boot authority graph of its own.             *)
(***************************************************************************)
EXTENDS CSpacePost

CONSTANTS a, b, c, e

SR == {"send", "grant"}
MCThreads == {a, b, c, e}
MCLocalIds == 1..2
MCConfined == {c}

MCInitCSpace ==
    [t \in MCThreads |->
        CASE t = a -> <<[obj |-> b, rights |-> SR, gen |-> 0], [obj |-> c, rights |-> {"send"}, gen |-> 0]>>
          [] t = b -> <<[obj |-> a, rights |-> SR, gen |-> 0], EmptyCap>>
          [] t = c -> <<[obj |-> c, rights |-> SR, gen |-> 0], EmptyCap>>
          [] OTHER -> <<[obj |-> e, rights |-> SR, gen |-> 0], EmptyCap>>]
=============================================================================
