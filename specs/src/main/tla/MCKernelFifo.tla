---------------------------- MODULE MCKernelFifo ----------------------------
(***************************************************************************)
(* Bounded model of Kernel with vectors of 2: a holds send+grant to b, b  *)
(* holds send to a, two local ids each; a owns frame 1 and frame 2 is     *)
(* free for a copy.  Two messages (with or without items) can queue in    *)
(* one vector,                                                            *)
(* so the kernel's receive is checked to take the oldest and keep the     *)
(* other (ReceivePost, VectorsChangeAtEnds) with items in flight, which    *)
(* the models with vectors of 1 cannot tell apart.                        *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace ==
    [t \in MCThreads |->
        IF t = a THEN <<[obj |-> b, rights |-> SR, gen |-> 0], EmptyCap>>
        ELSE <<[obj |-> a, rights |-> {"send"}, gen |-> 0], EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> IF t = a THEN <<1>> ELSE <<NoFrame>>]
=============================================================================
