// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title Usd1Proxy — a minimal EIP-1967 proxy for upgrade tests (issue 15). Written from scratch.
/// @notice The implementation and the admin live in the EIP-1967 slots (never in slots a token uses), every
///         change of them emits the EIP-1967 event (`Upgraded`, `AdminChanged`), and every other call is
///         delegated to the implementation. Only the admin may upgrade or hand over the admin; the admin's other
///         calls are delegated like anyone's (the token has no function with these selectors).
contract Usd1Proxy {
    /// @dev keccak256("eip1967.proxy.implementation") - 1
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    /// @dev keccak256("eip1967.proxy.admin") - 1
    bytes32 internal constant ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    event Upgraded(address indexed implementation);
    event AdminChanged(address previousAdmin, address newAdmin);

    error NotAdmin(address caller);
    error NotAContract(address implementation);
    error ZeroAdmin();
    error CallFailed(bytes reason);

    /// @param data called on the implementation in the proxy's storage (e.g. initialize(admin)); empty for none.
    constructor(address implementation, address admin, bytes memory data) {
        _changeAdmin(admin);
        _upgrade(implementation, data);
    }

    function upgradeTo(address implementation) external {
        _onlyAdmin();
        _upgrade(implementation, "");
    }

    function upgradeToAndCall(address implementation, bytes calldata data) external {
        _onlyAdmin();
        _upgrade(implementation, data);
    }

    function changeAdmin(address newAdmin) external {
        _onlyAdmin();
        _changeAdmin(newAdmin);
    }

    fallback() external payable {
        address implementation = _load(IMPLEMENTATION_SLOT);
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), implementation, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    function _onlyAdmin() private view {
        if (msg.sender != _load(ADMIN_SLOT)) revert NotAdmin(msg.sender);
    }

    function _upgrade(address implementation, bytes memory data) private {
        if (implementation.code.length == 0) revert NotAContract(implementation);
        _store(IMPLEMENTATION_SLOT, implementation);
        emit Upgraded(implementation);
        if (data.length > 0) {
            (bool ok, bytes memory reason) = implementation.delegatecall(data);
            if (!ok) revert CallFailed(reason);
        }
    }

    function _changeAdmin(address newAdmin) private {
        if (newAdmin == address(0)) revert ZeroAdmin();
        emit AdminChanged(_load(ADMIN_SLOT), newAdmin);
        _store(ADMIN_SLOT, newAdmin);
    }

    function _load(bytes32 slot) private view returns (address value) {
        assembly {
            value := sload(slot)
        }
    }

    function _store(bytes32 slot, address value) private {
        assembly {
            sstore(slot, value)
        }
    }
}
