--------------------- MODULE MCKernelImplLifecycleReuse ---------------------
(***************************************************************************)
(* MCKernelImplLifecycleOneId with two generations per thread object      *)
(* (MaxGen = 2) and nothing sent (state constraint): c is created,        *)
(* deleted, created again and deleted again, so the second life's         *)
(* creation and deletion run with a generation below and then at the      *)
(* bound.  With MaxGen = 1 a recreated thread is never deleted again.     *)
(***************************************************************************)
EXTENDS MCKernelImplLifecycleOneId

NothingSent == \A t \in Threads : msgCount[t] = 0
=============================================================================
