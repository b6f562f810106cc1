------------------------- MODULE MCPersistenceLarge -------------------------
(***************************************************************************)
(* Larger bounded model of Persistence, not run by default (use TLC's     *)
(* distributed mode): the objects of MCPersistence with a 2-slot log, 3    *)
(* LSNs and up to 2 crashes.                                              *)
(***************************************************************************)
EXTENDS MCPersistence
=============================================================================
