/** JAX-RS resources. */
package dev.candor.interfaces.rest;
