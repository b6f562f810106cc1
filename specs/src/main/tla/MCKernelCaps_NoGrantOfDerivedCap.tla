----------------- MODULE MCKernelCaps_NoGrantOfDerivedCap -----------------
\* Witness: a grant of a capability that was itself derived by a map.
\* The model of MCKernelCaps, checking only that this
\* never happens; the manifest expects NoGrantOfDerivedCap violated.
EXTENDS MCKernelCaps
=============================================================================
