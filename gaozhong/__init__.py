"""gaozhong (高中): the platform an education bureau and its senior high schools run the high-school system on."""

__version__ = "0.1.0"
