/** Typed MicroProfile Config, one record per area. */
package dev.candor.infrastructure.config;
