"""Language model: provider settings, prompts, generation, and the offline planner."""
