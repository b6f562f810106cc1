--------------------- MODULE MCPersistentKernelLarge ---------------------
(* MCPersistentKernel with a log of 3 records (its cfg): replay of several   *)
(* records after a checkpoint taken after the first.                         *)
EXTENDS MCPersistentKernel
=============================================================================
