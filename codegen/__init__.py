"""The code generator: specs/<vendor>.yaml → src/tessera/<vendor>/{models,_endpoints,_profile}.py."""
