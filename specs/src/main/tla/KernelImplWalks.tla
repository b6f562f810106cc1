-------------------------- MODULE KernelImplWalks --------------------------
(***************************************************************************)
(* A walk is the kernel's continuation, run under its lock: in every state *)
(* at most one of its steps can be taken.  A walk with a choice (an unmap  *)
(* walk's end taken in the middle of an address space's deletion, which   *)
(* then starts the same page again) leaves every state and the abstract   *)
(* state as they are, so neither the invariants nor Refinement see it; it  *)
(* is a kernel that can loop under its lock.                               *)
(* For the checker only; never compiled.                                   *)
(***************************************************************************)
EXTENDS KernelImpl

Taken(A) == IF ENABLED A THEN 1 ELSE 0

OneWalkStepAtATime ==
    Taken(UnmapStep) + Taken(UnmapDone) + Taken(RevokeStep) + Taken(RevokeDone)
        + Taken(DeleteCapStep) + Taken(DeleteCapDone) + Taken(DeleteThreadDone)
        + Taken(DeletePageStep) + Taken(DeletePageDone) + Taken(DeleteSpaceDone) <= 1
=============================================================================
