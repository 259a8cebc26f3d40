-- Test script: returns the key count and the byte length of every argument.
local lengths = { #KEYS }
for i = 1, #ARGV do
  lengths[#lengths + 1] = string.len(ARGV[i])
end
return lengths
