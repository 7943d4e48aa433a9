/** Redis: the client, the development redis-server process and the key layout. */
package dev.candor.infrastructure.cache;
