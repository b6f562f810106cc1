------------------------------ MODULE MCKernelLarge ------------------------------
(***************************************************************************)
(* Larger bounded model of Kernel, not run by default (use TLC's          *)
(* distributed mode): as MCKernel, with two virtual pages per address     *)
(* space, so mapping trees two levels deep and unmap of a middle node     *)
(* are reached.                                                            *)
(***************************************************************************)
EXTENDS Kernel

CONSTANTS a, b, c

SR == {"send", "grant"}
MCThreads == {a, b, c}
MCLocalIds == 1..2
MCVPages == 1..2
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
        IF t = a THEN <<1, NoFrame>> ELSE <<NoFrame, NoFrame>>]
=============================================================================
