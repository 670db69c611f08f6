"""The code generator: specs/<vendor>.yaml → src/tessera/<vendor>/{models,_endpoints,_profile,webhooks}.py."""
