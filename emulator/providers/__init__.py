"""One adapter per messaging provider (i2crm, Wazzup, Default) behind one interface."""
