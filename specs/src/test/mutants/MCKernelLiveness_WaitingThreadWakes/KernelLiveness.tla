--------------------------- MODULE KernelLiveness ---------------------------
(***************************************************************************)
(* IPC liveness of the kernel (Kernel.tla, unchanged), under fairness.     *)
(*                                                                         *)
(* A thread that keeps receiving: Receive(t) is weakly fair for every      *)
(* thread, so a thread whose vector stays non-empty and that is not        *)
(* waiting eventually takes its oldest message.  Nothing else is assumed  *)
(* fair: other threads may stop at any time, and Wait is never forced.     *)
(***************************************************************************)
EXTENDS Kernel

LiveSpec == Spec /\ \A t \in Threads : WF_vars(Receive(t))

\* A message queued for a thread is eventually received: the thread's vector is empty again infinitely often,
\* or the thread receives infinitely often.  Vectors are FIFO (FifoPerPair), so either way every queued
\* message reaches the head and is taken; a behaviour breaking it has a message stuck in a vector forever.
MessagesEventuallyReceived == \A t \in Threads : []<>InboxEmpty(t) \/ []<><<Receive(t)>>_vars

\* A waiting thread with a message sent to it eventually runs again.
WaitingThreadWakes == \A t \in Threads : (waiting[t] /\ InboxNonEmpty(t)) ~> ~waiting[t]
=============================================================================
