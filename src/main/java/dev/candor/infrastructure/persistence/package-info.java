/** JPA implementations of the domain repositories and the schema. */
package dev.candor.infrastructure.persistence;
