------------------------------ MODULE MCKernel_GrantCapPost ------------------------------
(***************************************************************************)
(* Bounded model of Kernel.  Thread a holds send+grant to b and send only  *)
(* to c; b holds send+grant back to a; c (the confined group) holds       *)
(* nothing.  a owns frame 1; frame 2 is free for copies.                   *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a, b, c

SR == {"send", "grant"}
MCThreads == {a, b, c}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}
MCConfined == {c}

MCInitCSpace ==
    [t \in MCThreads |->
        CASE t = a -> <<[obj |-> b, rights |-> SR], [obj |-> c, rights |-> {"send"}]>>
          [] t = b -> <<[obj |-> a, rights |-> SR], EmptyCap>>
          [] OTHER -> <<EmptyCap, EmptyCap>>]

MCInitPages ==
    [t \in MCThreads |->
        IF t = a THEN <<1>> ELSE <<NoFrame>>]
=============================================================================
