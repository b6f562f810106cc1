----------------------------- MODULE MCKernelImplLarge -----------------------------
(***************************************************************************)
(* KernelImpl refines Kernel on MCKernel's configuration (not default:    *)
(* about 250,000 states, and the refinement check is slow): thread a holds *)
(* send+grant to b and send only to c; b holds send+grant back to a; c     *)
(* holds nothing.  a owns frame 1; frame 2 is free for copies.           *)
(* Refinement is Kernel's Spec over the mapping KernelImpl defines (its    *)
(* Abs operators); TLC checks it as a PROPERTY, together with              *)
(* KernelImpl's structural invariants.                                     *)
(***************************************************************************)
EXTENDS KernelImpl

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

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- MCConfined

Refinement == K!Spec
=============================================================================
