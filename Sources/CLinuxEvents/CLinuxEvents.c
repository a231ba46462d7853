/* Headers only; see include/CLinuxEvents.h. */
