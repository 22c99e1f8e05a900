-- 35: which lifecycle moves each kind of actor may make (in the ledger
-- like any later change to it).

INSERT INTO robot_registry.actor_moves VALUES
	('manufacturer', 'manufactured', 'sold'),
	('manufacturer', 'manufactured', 'recycled'),
	('manufacturer', 'manufactured', 'retired'),
	('seller', 'manufactured', 'sold'),
	('seller', 'deployed', 'sold'),
	('seller', 'maintenance', 'sold'),
	('operator', 'sold', 'deployed'),
	('operator', 'maintenance', 'deployed'),
	('operator', 'deployed', 'maintenance'),
	('operator', 'sold', 'maintenance'),
	('service_provider', 'deployed', 'maintenance'),
	('service_provider', 'maintenance', 'deployed'),
	-- a private owner's robot, taken for service with its transfer code
	-- before it was ever deployed (1.5)
	('service_provider', 'sold', 'maintenance'),
	('recycler', 'manufactured', 'recycled'),
	('recycler', 'sold', 'recycled'),
	('recycler', 'deployed', 'recycled'),
	('recycler', 'maintenance', 'recycled'),
	('recycler', 'manufactured', 'retired'),
	('recycler', 'sold', 'retired'),
	('recycler', 'deployed', 'retired'),
	('recycler', 'maintenance', 'retired'),
	('recycler', 'recycled', 'retired');
