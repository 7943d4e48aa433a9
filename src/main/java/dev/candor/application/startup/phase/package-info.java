/** One small bean per startup phase; each phase is idempotent and does real work. */
package dev.candor.application.startup.phase;
