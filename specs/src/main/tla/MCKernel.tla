------------------------------ MODULE MCKernel ------------------------------
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
        CASE t = a -> <<[obj |-> b, rights |-> SR, gen |-> 0], [obj |-> c, rights |-> {"send"}, gen |-> 0]>>
          [] t = b -> <<[obj |-> a, rights |-> SR, gen |-> 0], EmptyCap>>
          [] OTHER -> <<EmptyCap, EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages ==
    [t \in MCThreads |->
        IF t = a THEN <<1>> ELSE <<NoFrame>>]
=============================================================================
