$robotid_registry$;
END
$robotid_install$;
COMMENT ON FUNCTION robot_registry_install()
	IS 'create the reference registry in schema robot_registry, owned by the caller';
REVOKE ALL ON FUNCTION robot_registry_install() FROM PUBLIC;
